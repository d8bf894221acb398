//! Importers on small fixture files of each format, broken rows included.

use std::path::PathBuf;

use shopassist::catalog::import::{import_file, Format, ImportOptions};
use shopassist::catalog::Product;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/catalog")
        .join(name)
}

fn by_id<'a>(ps: &'a [Product], id: &str) -> &'a Product {
    ps.iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no product {id}"))
}

#[test]
fn jsonl_imports_products_with_variants() {
    let (ps, report) = import_file(&fixture("good.jsonl"), &ImportOptions::default()).unwrap();
    assert_eq!(report.format, Some(Format::Jsonl));
    assert!(report.errors.is_empty(), "{report}");
    assert_eq!(ps.len(), 2);
    let j1 = by_id(&ps, "J1");
    assert_eq!(j1.price, 18999);
    assert_eq!(j1.variants.len(), 2);
    assert!(j1.in_stock());
    assert_eq!(j1.attributes["wasserdicht"], vec!["ja"]);
}

#[test]
fn broken_jsonl_rows_are_reported_by_line_and_the_rest_imports() {
    let (ps, report) = import_file(&fixture("broken.jsonl"), &ImportOptions::default()).unwrap();
    let ids: Vec<&str> = ps.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["B1", "B6"]);
    let lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 6, 7], "{report}");
    assert!(report.errors[1].reason.contains("negative"));
    assert!(report.errors[2].reason.contains("currency"));
    assert!(report.errors[3]
        .reason
        .contains("duplicate id, first seen on line 1"));
    assert!(
        report.errors[4].reason.contains("colour"),
        "unknown field named: {}",
        report.errors[4].reason
    );
    let summary = report.to_string();
    assert!(
        summary.ends_with("imported 2 products from 7 rows (jsonl), 5 rows rejected"),
        "{summary}"
    );
}

#[test]
fn native_csv_groups_variant_rows() {
    let (ps, report) = import_file(&fixture("good.csv"), &ImportOptions::default()).unwrap();
    assert!(report.errors.is_empty(), "{report}");
    let c1 = by_id(&ps, "C1");
    assert_eq!(c1.title_en.as_deref(), Some("Running shoe Sprint"));
    assert_eq!(c1.category, vec!["Schuhe", "Laufschuhe"]);
    assert_eq!(c1.sizes(), vec!["40", "42", "43"]);
    assert_eq!(c1.variant("C1-43").unwrap().price, Some(9495));
    assert_eq!(c1.attributes["dämpfung"], vec!["hoch"]);
    let c2 = by_id(&ps, "C2");
    assert_eq!(c2.price, 1499, "German decimal comma");
    assert_eq!(c2.sale_price, Some(1299));
    assert_eq!(c2.variants.len(), 1);
    assert_eq!(c2.variants[0].stock, 20);
    assert_eq!(c2.reorder_interval_days, Some(30));
}

#[test]
fn broken_csv_rows_are_reported_by_line() {
    let (ps, report) = import_file(&fixture("broken.csv"), &ImportOptions::default()).unwrap();
    let ids: Vec<&str> = ps.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["D1", "D6"], "{report}");
    let lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7], "{report}");
    assert!(report.errors[0].reason.contains("missing price"));
    assert!(report.errors[1].reason.contains("zwölf"));
    assert!(report.errors[2].reason.contains("missing id"));
    assert!(report.errors[3].reason.contains("fields"));
    assert!(report.errors[4].reason.contains("stock"));
}

#[test]
fn merchant_tsv_groups_items_and_reads_prices_with_currency() {
    let (ps, report) = import_file(&fixture("merchant.tsv"), &ImportOptions::default()).unwrap();
    assert_eq!(report.format, Some(Format::MerchantTsv));
    let m1 = by_id(&ps, "M1");
    assert_eq!((m1.price, m1.sale_price), (4999, Some(3999)));
    assert_eq!(m1.variants.len(), 2);
    assert_eq!(
        m1.variant("M1-S").unwrap().stock,
        10,
        "in stock = assumed units"
    );
    assert_eq!(m1.variant("M1-M").unwrap().stock, 0);
    assert_eq!(m1.category, vec!["Bekleidung", "Jacken"]);
    assert_eq!(by_id(&ps, "M3").price, 2400);
    assert_eq!(report.errors.len(), 1, "{report}");
    assert_eq!(report.errors[0].line, 4);
    assert!(report.errors[0].reason.contains("kostenlos"));
}

#[test]
fn merchant_xml_reads_items_and_reports_bad_ones() {
    let (ps, report) = import_file(&fixture("merchant.xml"), &ImportOptions::default()).unwrap();
    assert_eq!(report.format, Some(Format::MerchantXml));
    assert_eq!(ps.len(), 1, "{report}");
    let x1 = &ps[0];
    assert_eq!(x1.id, "X1");
    assert_eq!(x1.price, 12900);
    assert_eq!(x1.sizes(), vec!["42", "43"]);
    assert_eq!(x1.category, vec!["Schuhe", "Wanderschuhe"]);
    assert!(x1.description.contains("Wanderschuh"));
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].line, 26);
    assert!(report.errors[0].reason.contains("missing price"));
}

#[test]
fn shopify_csv_reads_options_sale_prices_and_strips_html() {
    let (ps, report) = import_file(&fixture("shopify.csv"), &ImportOptions::default()).unwrap();
    assert_eq!(report.format, Some(Format::ShopifyCsv));
    let s = by_id(&ps, "sneaker-city");
    assert_eq!(s.description, "Bequemer Sneaker & leicht");
    assert_eq!((s.price, s.sale_price), (7990, Some(5990)));
    assert_eq!(s.sizes(), vec!["41", "42", "43"]);
    assert_eq!(s.colors(), vec!["Weiß", "Schwarz"]);
    assert_eq!(s.variant("SC-43-B").unwrap().price, Some(6490));
    assert_eq!(s.variant("SC-43-B").unwrap().stock, 7);
    assert_eq!(s.attributes["tags"], vec!["sneaker", "sommer"]);
    let mug = by_id(&ps, "mug-plain");
    assert_eq!(mug.price, 850);
    assert!(
        !mug.attributes.contains_key("title"),
        "Shopify's Default Title is no attribute"
    );
    assert_eq!(report.errors.len(), 1, "{report}");
    assert_eq!(report.errors[0].line, 6);
}

/// A real Shopify export: drafts and archived products beside the active ones, versions
/// told apart by an option named "Capacity" or "Pack", no language column, English.
#[test]
fn shopify_drafts_stay_out_versions_are_told_by_any_option_and_the_language_is_read() {
    use shopassist::catalog::import::import_str;
    let csv = "Handle,Title,Body (HTML),Vendor,Type,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Inventory Qty,Variant Price,Status\n\
t7,Samsung T7 Portable SSD,<p>External drive with reads up to 1050 MB/s.</p>,Samsung,External SSDs,TRUE,Capacity,1TB,Color,Gray,T7-1,5,109.99,active\n\
t7,,,,,,,2TB,,Gray,T7-2,3,179.99,\n\
t9,Samsung T9 Portable SSD,<p>Coming soon.</p>,Samsung,External SSDs,FALSE,Capacity,1TB,,,T9-1,0,139.99,draft\n\
ex2800,NETGEAR EX2800 Range Extender,<p>Discontinued.</p>,NETGEAR,Range Extenders,FALSE,Title,Default Title,,,EX2800,0,24.99,archived\n\
deco,TP-Link Deco X55 Mesh WiFi System,<p>Covers your home with WiFi 6.</p>,TP-Link,Mesh WiFi,TRUE,Pack,1-Pack,,,D-1,4,99.99,active\n\
deco,,,,,,,3-Pack,,,D-3,2,239.99,\n";
    let (ps, report) = import_str(csv, Format::ShopifyCsv, &ImportOptions::default()).unwrap();
    let ids: Vec<&str> = ps.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["t7", "deco"], "{report}");
    assert!(report.errors.is_empty(), "{report}");
    let withdrawn: Vec<(usize, &str)> = report
        .withdrawn
        .iter()
        .map(|w| (w.line, w.id.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(withdrawn, vec![(4, "t9"), (5, "ex2800")]);
    assert!(report.to_string().contains("2 not for sale"), "{report}");
    let t7 = by_id(&ps, "t7");
    assert_eq!(
        t7.sizes(),
        vec!["1TB", "2TB"],
        "the capacity tells the versions apart"
    );
    assert_eq!(t7.variant("T7-2").unwrap().color.as_deref(), Some("Gray"));
    assert_eq!(t7.attributes["capacity"], vec!["1TB", "2TB"]);
    assert_eq!(by_id(&ps, "deco").sizes(), vec!["1-Pack", "3-Pack"]);
    assert!(
        ps.iter().all(|p| p.language == "en"),
        "an English feed is read as English"
    );
}

/// A JSONL row without a language is read in its own text's language where that says
/// so, else in the feed's: a bare German name in a German feed stays German.
#[test]
fn a_feed_without_languages_is_read_in_the_language_of_its_texts() {
    use shopassist::catalog::import::import_str;
    let row = |id: &str, title: &str, description: &str| {
        format!(
            "{{\"id\":\"{id}\",\"title\":\"{title}\",\"description\":\"{description}\",\"price\":999,\"currency\":\"EUR\",\"variants\":[{{\"id\":\"{id}\",\"stock\":3}}]}}\n"
        )
    };
    let german = [
        row("g1", "deleyCON Netzwerkkabel Cat 6", ""),
        row(
            "g2",
            "Anker Ladegerät 65W",
            "Kompaktes Ladegerät für das Notebook und das Handy, mit drei Anschlüssen.",
        ),
        row("g3", "Apple 20W USB-C Power Adapter", ""),
        row(
            "g4",
            "Logitech Maus",
            "Leise Tasten und ein Akku, der mit einer Ladung monatelang hält.",
        ),
    ]
    .concat();
    let (ps, _) = import_str(&german, Format::Jsonl, &ImportOptions::default()).unwrap();
    assert!(
        ps.iter().all(|p| p.language == "de"),
        "{:?}",
        ps.iter().map(|p| (&p.id, &p.language)).collect::<Vec<_>>()
    );
    let english = [
        row("e1", "Logitech MX Master 3S", ""),
        row(
            "e2",
            "Anker Nano II 65W",
            "A compact charger that powers a laptop, a tablet or a phone at full speed.",
        ),
        row(
            "e3",
            "Cable Matters HDMI Cable",
            "An ultra high speed cable for the TV and the console, with eARC.",
        ),
    ]
    .concat()
        + &row(
            "e4",
            "Kabel Deutschland Adapter",
            "Ein Adapter für das Kabel, mit dem der Router ans Netz geht.",
        );
    let (ps, _) = import_str(&english, Format::Jsonl, &ImportOptions::default()).unwrap();
    let langs: Vec<&str> = ps.iter().map(|p| p.language.as_str()).collect();
    assert_eq!(
        langs,
        vec!["en", "en", "en", "de"],
        "each text's own language, the bare name the feed's"
    );
}

/// A technical Merchant feed: specs in `product_detail` (nested in XML, one column in
/// TSV), highlights, the part number, and a group whose items are titled each with its
/// own capacity and have no size.
#[test]
fn merchant_feeds_keep_product_details_and_versions_named_in_titles() {
    use shopassist::catalog::import::import_str;
    let xml = r#"<?xml version="1.0"?>
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel>
<item>
  <g:id>T7-1TB</g:id><g:item_group_id>T7</g:item_group_id>
  <title>Samsung T7 Portable SSD 1TB, Titan Gray</title>
  <description>USB 3.2 Gen 2 external drive.</description>
  <g:price>109.99 USD</g:price><g:availability>in_stock</g:availability>
  <g:color>Titan Gray</g:color><g:mpn>MU-PC1T0T</g:mpn>
  <g:product_type>Storage &gt; External SSDs</g:product_type>
  <g:product_detail><g:section_name>General</g:section_name><g:attribute_name>Interface</g:attribute_name><g:attribute_value>USB-C</g:attribute_value></g:product_detail>
  <g:product_detail><g:section_name>Performance</g:section_name><g:attribute_name>Read speed</g:attribute_name><g:attribute_value>1050 MB/s</g:attribute_value></g:product_detail>
  <g:product_highlight>Shock resistant up to 2 meters</g:product_highlight>
  <g:product_highlight>Password protection</g:product_highlight>
</item>
<item>
  <g:id>T7-2TB</g:id><g:item_group_id>T7</g:item_group_id>
  <title>Samsung T7 Portable SSD 2TB, Titan Gray</title>
  <g:price>179.99 USD</g:price><g:availability>in_stock</g:availability>
  <g:color>Titan Gray</g:color>
</item>
</channel></rss>"#;
    let (ps, report) = import_str(xml, Format::MerchantXml, &ImportOptions::default()).unwrap();
    assert!(report.errors.is_empty(), "{report}");
    let t7 = by_id(&ps, "T7");
    assert_eq!(
        t7.title, "Samsung T7 Portable SSD Titan Gray",
        "the words all titles share"
    );
    assert_eq!(t7.sizes(), vec!["1TB", "2TB"]);
    assert_eq!(t7.attributes["Read speed"], vec!["1050 MB/s"]);
    assert_eq!(t7.attributes["Interface"], vec!["USB-C"]);
    assert_eq!(t7.attributes["mpn"], vec!["MU-PC1T0T"]);
    assert!(
        t7.description
            .contains("Shock resistant up to 2 meters. Password protection"),
        "{}",
        t7.description
    );
    let tsv = "id	title	description	price	availability	product_detail(section_name:attribute_name:attribute_value)
M1	Dell 27 Monitor	IPS panel	299.99 USD	in stock	Display:Screen Size:27 in,Display:Refresh Rate:75 Hz
";
    let (ps, report) = import_str(tsv, Format::MerchantTsv, &ImportOptions::default()).unwrap();
    assert!(report.errors.is_empty(), "{report}");
    let m = by_id(&ps, "M1");
    assert_eq!(m.attributes["Screen Size"], vec!["27 in"]);
    assert_eq!(m.attributes["Refresh Rate"], vec!["75 Hz"]);
}

/// A JSONL row without `currency` is in the configured one, not rejected.
#[test]
fn a_jsonl_row_without_a_currency_is_in_the_configured_one() {
    use shopassist::catalog::import::import_str;
    let row =
        r#"{"id":"u1","title":"USB-C Cable","price":1299,"variants":[{"id":"u1","stock":2}]}"#;
    let usd = ImportOptions {
        default_currency: "USD".into(),
        ..ImportOptions::default()
    };
    let (ps, report) = import_str(row, Format::Jsonl, &usd).unwrap();
    assert!(report.errors.is_empty(), "{report}");
    assert_eq!(ps[0].currency, "USD");
}

#[test]
fn unknown_format_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("catalog.pdf");
    std::fs::write(&p, "x").unwrap();
    let e = import_file(&p, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("catalog.pdf"), "{e}");
}

/// Issue 16: XML line numbers are counted as the reader moves (once counted from the
/// start of the file for every item, 27 s for 20k items). Bad items far into a large
/// feed still name their own line, and the rest imports.
#[test]
fn merchant_xml_names_the_line_of_bad_items_deep_in_a_large_feed() {
    use shopassist::catalog::import::import_str;
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<rss xmlns:g=\"http://base.google.com/ns/1.0\" version=\"2.0\">\n<channel>\n",
    );
    let mut bad_lines = Vec::new();
    for i in 0..3000 {
        let line = xml.matches('\n').count() + 1;
        if i % 1000 == 999 {
            bad_lines.push(line);
            // No price: refused, with the line its <item> starts on.
            xml.push_str(&format!(
                "<item>\n  <g:id>B{i}</g:id>\n  <title>Ohne Preis</title>\n</item>\n"
            ));
        } else {
            xml.push_str(&format!(
                "<item>\n  <g:id>I{i}</g:id>\n  <title>Artikel {i}</title>\n  <g:price>1.00 EUR</g:price>\n</item>\n"
            ));
        }
    }
    xml.push_str("</channel>\n</rss>\n");
    let (ps, report) = import_str(&xml, Format::MerchantXml, &ImportOptions::default()).unwrap();
    assert_eq!(ps.len(), 2997, "{report}");
    let lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, bad_lines, "{report}");
}
