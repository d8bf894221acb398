//! Shoppers who know what they want (issue 23), over a small English catalogue of
//! technical products: specs with units, the head of a noun phrase, exact models,
//! superlatives, several steps in one message, and the unhappy paths (a kind the shop
//! lacks, a spec nobody states, a retried multi-step message, no confirmation).

use shopassist::assist::{Assistant, TurnInput, TurnOutput};
use shopassist::orders::OrderFilter;

const CATALOG: &str = r#"{"id":"C50","title":"QualGear HDMI 2.0 Cable with Ethernet (50 Feet)","price":3945,"currency":"USD","language":"en","category":["Electronics","Cables"],"variants":[{"id":"C50-25","size":"25 feet","stock":5},{"id":"C50-50","size":"50 feet","stock":5}]}
{"id":"C30","title":"NavePoint HDMI 1.4 Male to Male Cable 30 Ft","price":1080,"currency":"USD","language":"en","category":["Electronics","Cables"],"variants":[{"id":"C30-1","stock":9}]}
{"id":"C01","title":"4K HDMI Cable, Short Cord, 1ft","price":799,"currency":"USD","language":"en","category":["Electronics","Cables"],"variants":[{"id":"C01-1","stock":9}]}
{"id":"TS1","title":"Wood TV Stand for 65 Inch TV, TV Cabinet with Barn Doors","price":31758,"currency":"USD","language":"en","category":["Home","TV Stands"],"variants":[{"id":"TS1-1","stock":3}]}
{"id":"PS1","title":"Adjustable Cell Phone Stand, Desk Phone Holder","price":1299,"currency":"USD","language":"en","category":["Electronics","Stands"],"variants":[{"id":"PS1-1","stock":6}]}
{"id":"TV1","title":"Elecsung Smart Mirror TV 27 inch","price":68900,"currency":"USD","language":"en","category":["Electronics","Televisions"],"variants":[{"id":"TV1-1","stock":2}]}
{"id":"TV2","title":"Compact LED TV 22 inch","price":12900,"currency":"USD","language":"en","category":["Electronics","Televisions"],"variants":[{"id":"TV2-1","stock":2}]}
{"id":"WC1","title":"Anker 10W Max Wireless Charger, 313 Wireless Charger (Pad)","price":2599,"currency":"USD","language":"en","category":["Electronics","Chargers"],"variants":[{"id":"WC1-1","stock":7}]}
{"id":"PB1","title":"Baseus Magnetic Power Bank, 10,000mAh, PD 20W USB-C","price":3999,"currency":"USD","language":"en","category":["Electronics","Power Banks"],"variants":[{"id":"PB1-1","stock":7}]}
{"id":"WB1","title":"Watch Band Compatible with Apple Watch 44mm 45mm","price":1099,"currency":"USD","language":"en","category":["Electronics","Watch Bands"],"variants":[{"id":"WB1-1","stock":7}]}
{"id":"PC1","title":"PEEL Ultra Thin iPhone 12 Pro Max Case, Black","price":2900,"currency":"USD","language":"en","category":["Electronics","Phone Cases"],"variants":[{"id":"PC1-1","stock":4}]}
{"id":"PJ1","title":"Acer P6500 Large Venue 1080p Video Projector","price":161994,"currency":"USD","language":"en","category":["Electronics","Projectors"],"variants":[{"id":"PJ1-1","stock":1}]}
{"id":"BN1","title":"20x50 High Power Binoculars for Adults, Compact Waterproof Binoculars","price":4600,"currency":"USD","language":"en","category":["Electronics","Binoculars"],"variants":[{"id":"BN1-1","stock":4}]}
{"id":"TL1","title":"whdz Telescopes for Kids Adults Astronomy Beginners, Travel Telescope with Portable Tripod","price":23509,"currency":"USD","language":"en","category":["Electronics","Binoculars"],"variants":[{"id":"TL1-1","stock":4}]}
{"id":"TB1","title":"Erwazi Android Tablet, 7 Inch Tablet PC 1GB + 8GB","price":3699,"currency":"USD","language":"en","category":["Electronics","Tablets"],"variants":[{"id":"TB1-1","stock":4}]}
{"id":"SP1","title":"Stylus Pens for iPad, Universal Stylus with Magnetic Cap Compatible with iPad, iPhone, Android, Microsoft Tablets","price":1399,"currency":"USD","language":"en","category":["Electronics","Styluses"],"variants":[{"id":"SP1-1","stock":4}]}
{"id":"SW1","title":"Smart Watch Tough/Outdoor 2022 for Men 1.69'' Full Touch Screen","price":12900,"currency":"USD","language":"en","category":["Electronics","Smartwatches"],"variants":[{"id":"SW1-1","stock":4}]}
"#;

fn assistant(dir: &std::path::Path) -> Assistant {
    let (assistant, report) = crate::common::rules_only_assistant(
        dir,
        CATALOG,
        shopassist::catalog::import::Format::Jsonl,
    );
    assert!(report.errors.is_empty(), "{report}");
    assistant
}

fn specs_data() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/specs")
}

/// The rules-only assistant over the technical catalogue of the specs set.
fn tech_assistant(dir: &std::path::Path) -> Assistant {
    catalogue_assistant(dir, "tech")
}

/// The specs set `<name>.jsonl` run rules only over the `<catalog>_catalog.jsonl` its
/// cases name (one catalogue a set).
fn rules_only_report(name: &str) -> shopassist::eval::specs::Report {
    let cases =
        shopassist::eval::specs::read_cases(&specs_data().join(format!("{name}.jsonl"))).unwrap();
    // One assistant for each catalogue the set asks, each in its own directory.
    let catalogs: std::collections::BTreeSet<String> =
        cases.iter().map(|c| c.catalog.clone()).collect();
    let dirs: Vec<tempfile::TempDir> = catalogs
        .iter()
        .map(|_| tempfile::tempdir().unwrap())
        .collect();
    let assistants: std::collections::BTreeMap<_, _> = catalogs
        .into_iter()
        .zip(&dirs)
        .map(|(catalog, dir)| {
            let assistant = catalogue_assistant(dir.path(), &catalog);
            (catalog, assistant)
        })
        .collect();
    let report = shopassist::eval::specs::run("rules only", &assistants, &cases).unwrap();
    eprintln!("{report}");
    report
}

/// A request's F1 in a report; a request the set lacks fails the test.
fn f1_of(report: &shopassist::eval::specs::Report, text: &str) -> f64 {
    report
        .results
        .iter()
        .find(|r| r.text == text)
        .unwrap_or_else(|| panic!("{text}: not in the set"))
        .f1
}

/// Asserts that each request of a report found exactly its gold set (F1 1.0).
fn assert_found_exactly(report: &shopassist::eval::specs::Report, texts: &[&str]) {
    for text in texts {
        assert_eq!(f1_of(report, text), 1.0, "{text}\n{report}");
    }
}

/// The rules-only assistant over `<name>_catalog.jsonl` of the specs set.
fn catalogue_assistant(dir: &std::path::Path, name: &str) -> Assistant {
    // `<name>_catalog.jsonl`, or a feed of another format (market8 is a Shopify CSV,
    // market9 a Merchant XML feed).
    let path = ["jsonl", "csv", "xml"]
        .iter()
        .map(|ext| specs_data().join(format!("{name}_catalog.{ext}")))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no catalogue for {name}"));
    let text = std::fs::read_to_string(&path).unwrap();
    let format = shopassist::catalog::import::Format::detect(&path, &text).unwrap();
    let (assistant, report) = crate::common::rules_only_assistant(dir, &text, format);
    assert!(report.errors.is_empty(), "{report}");
    assistant
}

fn say(a: &Assistant, session: Option<&str>, customer: &str, text: &str) -> TurnOutput {
    let out = a
        .turn(TurnInput {
            session_id: session.map(String::from),
            customer_id: Some(customer.into()),
            text: text.into(),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    eprintln!("> {text}\n< {}\n", out.reply);
    out
}

/// A rules-only assistant over a JSONL catalogue, which must import without an error;
/// the directory holds its index and database.
fn assistant_over(catalog: &str) -> (tempfile::TempDir, Assistant) {
    let dir = tempfile::tempdir().unwrap();
    let (a, report) = crate::common::rules_only_assistant(
        dir.path(),
        catalog,
        shopassist::catalog::import::Format::Jsonl,
    );
    assert!(report.errors.is_empty(), "{report}");
    (dir, a)
}

fn ids(out: &TurnOutput) -> Vec<&str> {
    out.products.iter().map(|p| p.id.as_str()).collect()
}

/// The ids of the products shown, in id order: for requests whose answer is a set.
fn sorted(out: &TurnOutput) -> Vec<&str> {
    let mut found = ids(out);
    found.sort();
    found
}

#[test]
fn specs_with_units_filter_and_say_the_value_that_met_them() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    let out = say(&a, None, "c1", "hdmi cable longer than 20 feet");
    assert_eq!(ids(&out), ["C50", "C30"], "{}", out.reply);
    // The listing's variant that meets the spec is the one shown.
    assert_eq!(out.products[0].variant.size.as_deref(), Some("25 feet"));
    assert!(
        out.products[1].reasons.iter().any(|r| r == "30 ft > 20 ft"),
        "{:?}",
        out.products[1].reasons
    );
    // An English catalogue answers an English request in English.
    assert!(out.reply.starts_with("I found 2"), "{}", out.reply);
    // German units and words: "mindestens 10 Meter" is 32.8 ft.
    let out = say(&a, None, "c1", "hdmi kabel mindestens 10 meter");
    assert_eq!(ids(&out), ["C50"], "{}", out.reply);
    let out = say(&a, None, "c1", "power bank 10000mah");
    assert_eq!(ids(&out), ["PB1"], "{}", out.reply);
    // A connector is a constraint like a spec: no charger here names its plug, so
    // the wireless charger is shown apart, marked, not claimed to be USB-C.
    let out = say(&a, None, "c1", "usb c charger");
    assert_eq!(ids(&out), ["WC1"], "{}", out.reply);
    assert_eq!(out.products[0].relaxed, ["specs"], "{}", out.reply);
    assert!(out.reply.contains("USB-C"), "{}", out.reply);
}

#[test]
fn the_head_decides_the_kind_and_a_missing_kind_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    // A TV stand is no TV; the largest TV by its screen.
    let out = say(&a, None, "c2", "which is the largest tv you have");
    assert_eq!(ids(&out), ["TV1"], "{}", out.reply);
    assert_eq!(out.intent, shopassist::nlu::Intent::Search);
    let out = say(&a, None, "c2", "tv stand");
    assert_eq!(ids(&out), ["TS1"], "{}", out.reply);
    // Every word of a short request: a phone stand, not padded with the TV stand.
    let out = say(&a, None, "c2", "phone stand");
    assert_eq!(ids(&out), ["PS1"], "{}", out.reply);
    // No case for a 44 mm watch here (only a phone case): said, and the 44 mm bands
    // shown apart, marked.
    let out = say(&a, None, "c2", "a case for my apple watch 44mm");
    assert_eq!(ids(&out), ["WB1"], "{}", out.reply);
    assert_eq!(out.products[0].relaxed, ["kind"]);
    assert!(out.reply.contains("\"case\""), "{}", out.reply);
    // A spec no product states: nothing is claimed to meet it.
    let out = say(&a, None, "c2", "hdmi cable longer than 500 feet");
    assert!(
        out.products.iter().all(|p| !p.relaxed.is_empty()),
        "{}",
        out.reply
    );
}

#[test]
fn a_thing_the_catalogue_only_names_as_a_word_is_not_carried() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    // No title is a mirror: the smart mirror TV is a TV. Said, and it shown apart.
    let out = say(&a, None, "c9", "the cheapest mirror");
    assert!(
        out.reply
            .starts_with("We don't carry “mirror”. The nearest I have (Televisions):"),
        "{}",
        out.reply
    );
    assert_eq!(ids(&out), ["TV1"], "{}", out.reply);
    assert_eq!(out.products[0].relaxed, ["kind"]);
    // A thing no title names: said, nothing shown.
    let out = say(&a, None, "c9", "do you have a keyboard");
    assert_eq!(out.reply, "We don't carry “keyboard”.");
    assert!(out.products.is_empty());
    // A thing the lexicon does not know either, after words the titles use: no
    // title, brand or category has "hub" nor a word it could be a typo of. A typo of
    // a title's word ("cabel") and phrasing before it ("whats") are no such thing.
    let out = say(&a, None, "c9", "usb c hub");
    assert!(
        out.reply.starts_with("We don't carry “hub”."),
        "{}",
        out.reply
    );
    assert!(
        out.products.iter().all(|p| p.relaxed == ["kind"]),
        "{}",
        out.reply
    );
    for text in ["hdmi cabel", "whats the cheapest hdmi cable"] {
        let out = say(&a, None, "c9", text);
        assert!(!out.reply.contains("carry"), "{text}: {}", out.reply);
        assert!(!out.products.is_empty(), "{text}: {}", out.reply);
    }
    // A property or a technology alone is no thing a shop lacks.
    for text in ["wireless", "hdmi", "tv", "binoculars"] {
        let out = say(&a, None, "c9", text);
        assert!(!out.reply.contains("carry"), "{text}: {}", out.reply);
    }
}

#[test]
fn a_named_model_shows_its_listings_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    let out = say(
        &a,
        None,
        "c3",
        "Find all offers for the Anker 313 wireless charger",
    );
    assert_eq!(ids(&out), ["WC1"], "{}", out.reply);
    // A model that looks like an order number is still a product.
    let out = say(&a, None, "c3", "acer p6500");
    assert_eq!(ids(&out), ["PJ1"], "{}", out.reply);
    // A model no listing is: said, and the nearest shown apart, never as that model.
    let out = say(&a, None, "c3", "the anker 737 wireless charger");
    assert!(
        out.reply
            .starts_with("We don't carry “anker 737 wireless charger”."),
        "{}",
        out.reply
    );
    assert!(ids(&out).contains(&"WC1"), "{}", out.reply);
    assert!(
        out.products.iter().all(|p| p.relaxed == ["kind"]),
        "{}",
        out.reply
    );
    let out = say(&a, None, "c3", "acer p7500");
    assert!(
        out.reply.starts_with("We don't carry “acer p7500”."),
        "{}",
        out.reply
    );
    // "return all of them" asks for results, not for a return.
    let out = say(
        &a,
        None,
        "c3",
        "I need 2 hdmi cables of at least 25 feet, return all of them under 40 dollars",
    );
    assert!(!out.handoff, "{}", out.reply);
    assert_eq!(ids(&out), ["C50", "C30"], "{}", out.reply);
}

#[test]
fn several_steps_add_the_found_product_and_only_propose_the_order() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    let text = "find the cheapest hdmi cable and add it to my cart and check out";
    let out = say(&a, None, "c4", text);
    assert_eq!(ids(&out), ["C01"], "{}", out.reply);
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items.len(), 1);
    assert_eq!(cart.items[0].item.product_id, "C01");
    assert!(out.actions.iter().any(|x| x["type"] == "checkout.proposed"));
    assert!(!out.actions.iter().any(|x| x["type"] == "order.placed"));
    // The plan says what was searched and which steps ran, in order.
    let plan = serde_json::to_value(out.understanding.plan.as_ref().expect("a plan")).unwrap();
    assert_eq!(
        plan["steps"],
        serde_json::json!(["show", "add_to_cart", "checkout"])
    );
    assert_eq!(plan["targets"][0]["kind"], "cable", "{plan}");
    assert_eq!(
        plan["targets"][0]["order"],
        serde_json::json!({"by": "price", "desc": false})
    );
    // The same message again, in the same session: the cart is re-proposed, still
    // nothing ordered without the shopper's own yes.
    let again = say(&a, Some(&out.session_id), "c4", text);
    assert!(!again.actions.iter().any(|x| x["type"] == "order.placed"));
    let orders = a
        .orders
        .list_orders(&OrderFilter {
            customer_id: Some("c4".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(orders.is_empty());
    // A pointing message with nothing named stays a plain cart request.
    let out = say(&a, None, "c5", "add it to my cart");
    assert!(out.cart.is_none() || out.cart.unwrap().items.is_empty());
    // "the cheapest one" with nothing shown points at nothing: no cheapest of the
    // whole shop goes into the cart.
    let out = say(&a, None, "c5b", "add the cheapest one to the cart");
    assert!(
        out.cart.is_none() || out.cart.unwrap().items.is_empty(),
        "{}",
        out.reply
    );
    assert!(out.products.is_empty(), "{}", out.reply);
}

/// The ids of each group of a grouped answer, in order.
fn groups_of(out: &TurnOutput) -> Vec<Vec<&str>> {
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for p in &out.products {
        let g = p.group.unwrap_or_else(|| {
            panic!(
                "every product of a grouped answer has its group: {}",
                out.reply
            )
        });
        if groups.len() <= g {
            groups.resize(g + 1, Vec::new());
        }
        groups[g].push(p.id.as_str());
    }
    groups.iter_mut().for_each(|g| g.sort());
    groups
}

/// Says `text` in a new session and asserts the ids of each group, in order.
fn assert_groups(a: &Assistant, customer: &str, text: &str, want: &[&[&str]]) {
    let out = say(a, None, customer, text);
    assert_eq!(groups_of(&out), want, "{}", out.reply);
}

#[test]
fn what_one_target_is_for_the_bare_targets_beside_it_are_for_too() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // A trailing "for …" holds for the bare kind before it, and a leading one for
    // the bare kind after it; a charger fits the phone by its plug, as alone.
    for text in [
        "a case and a charger for my galaxy a35",
        "i want a charger for the galaxy a35 and a case",
    ] {
        let out = say(&a, None, "g1", text);
        let mut groups = groups_of(&out);
        groups.sort();
        assert_eq!(
            groups,
            [vec!["T081", "T082"], vec!["T084"]],
            "{text}: {}",
            out.reply
        );
    }
    assert_groups(
        &a,
        "g2",
        "a cpu and a motherboard for am5",
        &[&["T005"], &["T022"]],
    );
    // Each target is read in the catalogue's words, as a message of its own: "ram"
    // is its memory.
    assert_groups(
        &a,
        "g3",
        "a b650 motherboard and ddr5 ram",
        &[&["T022"], &["T032", "T033"]],
    );
    // The watch's size is not the charger's: the charger made for the watch.
    assert_groups(
        &a,
        "g4",
        "a case for my apple watch 44mm and a charger for it",
        &[&["T090", "T091"], &["T095"]],
    );
    // A target's head is no spec after it, and a count before a target counts
    // another product, even of the same head; the count is no word of its name.
    assert_groups(
        &a,
        "g5",
        "hdmi cable 6 feet and a displayport cable",
        &[&["T100"], &["T105"]],
    );
    let out = say(&a, None, "g6", "2 hdmi cables and 1 displayport cable");
    assert_eq!(
        out.understanding.targets,
        ["hdmi cables", "displayport cable"],
        "{}",
        out.reply
    );
    assert_eq!(groups_of(&out)[1], ["T105"], "{}", out.reply);
    // German kinds in a shop of English titles split as English ones do.
    let out = say(
        &a,
        None,
        "g7",
        "eine grafikkarte und ein netzteil mit mindestens 650 watt",
    );
    let groups = groups_of(&out);
    assert_eq!(groups.len(), 2, "{}", out.reply);
    assert!(
        groups[0].iter().all(|id| id.starts_with("T01")),
        "{}",
        out.reply
    );
    assert_eq!(groups[1], ["T051", "T052", "T053"], "{}", out.reply);
    // "for it" after a kind is for what that target found: the A25 is the phone
    // under $300 with a case, and the RAM fits the first board shown.
    let out = say(&a, None, "g8", "a phone under 300 and a case for it");
    assert_eq!(groups_of(&out)[1], ["T080"], "{}", out.reply);
    let out = say(&a, None, "g9", "ein handy unter 300 und eine hülle dafür");
    assert_eq!(groups_of(&out)[1], ["T080"], "{}", out.reply);
    let out = say(&a, None, "g10", "motherboards and ram for it");
    assert!(
        groups_of(&out)[1]
            .iter()
            .all(|id| ["T030", "T031"].contains(id)),
        "{}",
        out.reply
    );
    // No title says "bag": what the shop shelves as "Laptop Bags" is its bag, not
    // the maker's products.
    let out = say(&a, None, "g11", "a laptop and a bag for it");
    assert_eq!(groups_of(&out)[1], ["T135"], "{}", out.reply);
}

#[test]
fn a_model_named_with_a_kind_it_is_not_asks_for_what_fits_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // No charger names the A35: the charger that fits the phone, as "a charger for
    // the a35" would find; the phone is no charger.
    let out = say(&a, None, "m1", "a35 charger");
    assert_eq!(ids(&out), ["T084"], "{}", out.reply);
    // A word of the model's own listing names that listing, and it goes into the
    // cart with the other target; "i'll take" is no word of a product.
    let out = say(
        &a,
        None,
        "m2",
        "put the anker 313 wireless charger stand and a 6 ft hdmi cable in my cart",
    );
    let cart = out.cart.as_ref().expect("a cart");
    let mut in_cart: Vec<&str> = cart
        .items
        .iter()
        .map(|i| i.item.product_id.as_str())
        .collect();
    in_cart.sort();
    assert_eq!(in_cart, ["T088", "T100"], "{}", out.reply);
    assert_eq!(
        out.understanding.targets,
        ["anker 313 wireless charger stand", "6 ft hdmi cable"]
    );
    let out = say(
        &a,
        None,
        "m3",
        "i'll take the galaxy a35 and a case for it, then checkout",
    );
    assert_eq!(
        out.understanding.targets,
        ["galaxy a35", "case for galaxy a35"],
        "{}",
        out.reply
    );
    // A laptop that has the card is still a laptop with it.
    let out = say(&a, None, "m4", "rtx 4060 laptop");
    assert_eq!(ids(&out), ["T134"], "{}", out.reply);
}

#[test]
fn more_about_a_shown_product_says_its_price_stock_and_description() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    let out = say(&a, None, "o1", "external ssd");
    let session = out.session_id.clone();
    let out_of_stock = out
        .products
        .iter()
        .position(|p| p.id == "T125")
        .expect("the 1 TB T7 is shown");
    let asked = format!("tell me more about number {}", out_of_stock + 1);
    let out = say(&a, Some(&session), "o1", &asked);
    assert!(out.products.len() <= 1, "{}", out.reply);
    assert!(
        out.reply.contains("$99.99")
            && out.reply.contains("currently out of stock")
            && out.reply.contains("1TB external SSD, USB-C."),
        "{}",
        out.reply
    );
}

#[test]
fn a_port_version_said_with_its_port_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    let out = say(&a, None, "v1", "hdmi 2.1 cable");
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["T102", "T104"], "{}", out.reply);
    let out = say(&a, None, "v2", "displayport 1.4 cable");
    assert_eq!(ids(&out), ["T105"], "{}", out.reply);
    // Without a version, every HDMI cable.
    let out = say(&a, None, "v3", "hdmi cable");
    assert_eq!(out.products.len(), 5, "{}", out.reply);
}

#[test]
fn a_port_version_no_title_names_relaxes_to_the_port() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // No title says HDMI 2.0: the HDMI cables, not every cable, and the reply says
    // only the version was dropped.
    let out = say(&a, None, "v1", "hdmi 2.0 cable");
    assert_eq!(out.products.len(), 5, "{}", out.reply);
    assert!(
        out.products
            .iter()
            .all(|p| p.title.contains("HDMI") && p.relaxed == ["specs"]),
        "{}",
        out.reply
    );
    assert!(
        out.reply.contains("nothing with HDMI 2.0 –"),
        "{}",
        out.reply
    );
}

#[test]
fn a_wish_for_much_of_a_measure_orders_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // Every monitor, highest refresh rate first (not only the first).
    let out = say(&a, None, "r1", "a monitor with a high refresh rate");
    assert_eq!(out.products.len(), 5, "{}", out.reply);
    assert!(out.products[0].title.contains("165Hz"), "{}", out.reply);
    assert!(
        out.products[1..3].iter().all(|p| p.title.contains("144Hz")),
        "{}",
        out.reply
    );
    let out = say(&a, None, "r2", "a power bank with a big battery");
    assert!(out.products.len() >= 3, "{}", out.reply);
    assert!(out.products[0].title.contains("24,000mAh"), "{}", out.reply);
    // A long battery life: those that state a run time first, longest first, then
    // the others, claimed nothing of.
    let catalog = r#"{"id":"E1","title":"Wireless Earbuds, 20H Playtime, Bluetooth 5.3","price":2999,"currency":"USD","language":"en","category":["Electronics","Headphones"],"variants":[{"id":"E1-1","stock":5}]}
{"id":"E2","title":"Wireless Earbuds with 40 Hours Playtime, IPX7","price":3999,"currency":"USD","language":"en","category":["Electronics","Headphones"],"variants":[{"id":"E2-1","stock":5}]}
{"id":"E3","title":"Wireless Earbuds for Sport, Touch Control","price":1999,"currency":"USD","language":"en","category":["Electronics","Headphones"],"variants":[{"id":"E3-1","stock":5}]}
"#;
    let (_d, e) = assistant_over(catalog);
    for text in [
        "wireless earbuds with a long battery life",
        "wireless earbuds mit langer akkulaufzeit",
    ] {
        let out = say(&e, None, "r4", text);
        assert_eq!(ids(&out), ["E2", "E1", "E3"], "{text}: {}", out.reply);
        let measured = |r: &String| r.chars().next().is_some_and(|c| c.is_ascii_digit());
        assert!(
            measured(&out.products[0].reasons[0]),
            "{:?}",
            out.products[0].reasons
        );
        assert!(
            !out.products[2].reasons.iter().any(measured),
            "{:?}",
            out.products[2].reasons
        );
    }
    // "high speed" names a class of cable: not sorted, nothing dropped.
    let out = say(&a, None, "r3", "high speed hdmi cable");
    assert!(out.products.len() >= 3, "{}", out.reply);
    let plan = out.understanding.plan.as_ref().expect("a plan");
    assert!(plan.targets[0].order.is_none(), "{plan:?}");
}

#[test]
fn a_thing_titles_name_for_a_kind_is_that_thing() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // "sleeve" heads no title ("Laptop Sleeve … Case"): the sleeve, not laptops.
    let out = say(&a, None, "l1", "a sleeve for my laptop");
    assert_eq!(ids(&out), ["T135"], "{}", out.reply);
    let out = say(&a, None, "l2", "a laptop and a sleeve for it");
    let sleeves: Vec<&str> = out
        .products
        .iter()
        .filter(|p| p.group == Some(1))
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(sleeves, ["T135"], "{}", out.reply);
    assert!(
        out.products
            .iter()
            .filter(|p| p.group == Some(0))
            .all(|p| p.title.contains("Laptop") && p.id != "T135"),
        "{}",
        out.reply
    );
}

#[test]
fn specs_alone_after_a_target_are_another_of_its_kind() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    assert_groups(
        &a,
        "m1",
        "2 sandisk memory cards 128gb and one 256gb",
        &[&["T123"], &["T124"]],
    );
    let out = say(&a, None, "m2", "a 1tb ssd and a 2tb one");
    let groups = groups_of(&out);
    assert_eq!(groups.len(), 2, "{}", out.reply);
    assert!(
        out.products
            .iter()
            .all(|p| p
                .title
                .contains(if p.group == Some(0) { "1TB" } else { "2TB" })),
        "{}",
        out.reply
    );
}

#[test]
fn a_superlative_or_a_spec_alone_narrows_what_was_shown() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    let first = say(&a, None, "n1", "graphics card");
    let session = first.session_id.clone();
    assert!(first.products.len() >= 5, "{}", first.reply);
    // "one" is no product: the cheapest graphics card, not the shop's cheapest.
    let out = say(&a, Some(&session), "n1", "the cheapest one");
    assert_eq!(out.products.len(), 1, "{}", out.reply);
    assert!(out.products[0].title.contains("RX 7600"), "{}", out.reply);
    // A spec with its unit alone refines the search; it is no question off topic.
    let out = say(&a, Some(&session), "n1", "with 12gb");
    assert_eq!(out.products.len(), 1, "{}", out.reply);
    assert!(
        out.products[0].title.contains("RTX 4070 12GB"),
        "{}",
        out.reply
    );
    let first = say(&a, None, "n2", "ssd");
    let out = say(&a, Some(&first.session_id), "n2", "mit mindestens 2 tb");
    assert!(!out.products.is_empty(), "{}", out.reply);
    assert!(
        out.products
            .iter()
            .all(|p| p.title.contains("2TB") || p.title.contains("4TB")),
        "{}",
        out.reply
    );
}

#[test]
fn a_brand_asked_after_a_search_narrows_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    let first = say(&a, None, "b1", "monitor");
    let session = first.session_id.clone();
    // The brand's monitors, not everything the brand makes.
    let out = say(&a, Some(&session), "b1", "what about samsung");
    assert_eq!(out.products.len(), 1, "{}", out.reply);
    assert!(out.products[0].title.contains("Monitor"), "{}", out.reply);
    let out = say(&a, Some(&session), "b1", "und von lg?");
    assert_eq!(out.products.len(), 1, "{}", out.reply);
    assert!(
        out.products[0].title.starts_with("LG 27GL83A"),
        "{}",
        out.reply
    );
    // A brand alone starts a search of its own.
    let out = say(&a, Some(&session), "b1", "samsung");
    assert!(out.products.len() > 1, "{}", out.reply);
    assert!(
        out.products.iter().all(|p| p.title.contains("Samsung")),
        "{}",
        out.reply
    );
}

#[test]
fn a_range_with_and_is_one_request() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // "between 1 and 2 tb" was two searches ("ssd between 1", "ssd between 1 tb");
    // with both ends' units it was "nothing with 1 TB, 2 TB".
    for (customer, text) in [
        ("r1", "ssd between 1 and 2 tb"),
        ("r2", "an ssd between 1tb and 2tb"),
        ("r3", "ssd zwischen 1 tb und 2 tb"),
    ] {
        let out = say(&a, None, customer, text);
        assert!(
            out.products.iter().all(|p| p.group.is_none()),
            "{text}: {}",
            out.reply
        );
        assert_eq!(out.products.len(), 5, "{text}: {}", out.reply);
        assert!(
            out.products
                .iter()
                .all(|p| p.title.contains("SSD")
                    && (p.title.contains("1TB") || p.title.contains("2TB"))),
            "{text}: {}",
            out.reply
        );
        for end in ["1TB", "2TB"] {
            assert!(
                out.products.iter().any(|p| p.title.contains(end)),
                "{text}: {}",
                out.reply
            );
        }
    }
}

#[test]
fn a_kit_of_a_kind_is_that_kind() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // Memory is sold as "… Desktop Memory": "ram kit" was "We don't carry ram kit".
    let out = say(&a, None, "k1", "ram kit ddr5");
    assert_eq!(out.products.len(), 2, "{}", out.reply);
    assert!(
        out.products
            .iter()
            .all(|p| p.title.contains("DDR5") && p.title.contains("Memory")),
        "{}",
        out.reply
    );
    let out = say(&a, None, "k2", "a ram kit ddr5 32gb and add it to my cart");
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items.len(), 1, "{}", out.reply);
    assert_eq!(cart.items[0].item.product_id, "T032", "{}", out.reply);
}

#[test]
fn a_limit_that_blocks_every_word_is_relaxed_not_the_words() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // The only braided USB-C cable costs $12.99: the $9.99 one, not braided, was
    // shown as a match. The limit is what blocked it, and the reply says so.
    let out = say(&a, None, "l1", "a braided usb c cable under 11 dollars");
    assert_eq!(ids(&out), ["T106"], "{}", out.reply);
    assert_eq!(out.products[0].relaxed, ["price"], "{}", out.reply);
    // A word the description says counts: "16gb ram" of a laptop titled "16GB DDR4".
    let out = say(&a, None, "l2", "a laptop with 16gb ram under 600");
    assert_eq!(ids(&out), ["T130"], "{}", out.reply);
    assert!(out.products[0].relaxed.is_empty(), "{}", out.reply);
    // Without the feature, the cheap one is the match.
    let out = say(&a, None, "l3", "usb c cable under 11 dollars");
    assert_eq!(ids(&out), ["T107"], "{}", out.reply);
}

#[test]
fn cheap_ones_are_a_page_cheapest_first() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // "a cheap monitor" was in relevance order ($329.99 before $89.99).
    for (customer, text) in [
        ("p1", "a cheap monitor"),
        ("p2", "ich suche einen günstigen monitor"),
    ] {
        let out = say(&a, None, customer, text);
        assert!(out.products.len() > 3, "{text}: {}", out.reply);
        let prices: Vec<i64> = out.products.iter().map(|p| p.price).collect();
        let mut sorted = prices.clone();
        sorted.sort();
        assert_eq!(prices, sorted, "{text}: {}", out.reply);
        assert!(
            out.products.iter().all(|p| p.title.contains("Monitor")),
            "{text}: {}",
            out.reply
        );
    }
}

#[test]
fn a_german_plural_of_an_english_kind_is_that_kind() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // "Monitore" are the monitors of an English catalogue ("„monitore“ führen wir
    // leider nicht" before), said in a sentence or alone.
    let out = say(&a, None, "g1", "zeig mir alle monitore von samsung");
    assert_eq!(out.products.len(), 1, "{}", out.reply);
    assert!(
        out.products[0].title.starts_with("Samsung"),
        "{}",
        out.reply
    );
    assert!(out.products[0].title.contains("Monitor"), "{}", out.reply);
    let out = say(&a, None, "g2", "monitore");
    assert!(out.products.len() > 3, "{}", out.reply);
    assert!(
        out.products.iter().all(|p| p.title.contains("Monitor")),
        "{}",
        out.reply
    );
    // A kind the shop lacks stays lacking in the plural.
    let out = say(&a, None, "g3", "ich suche drucker");
    assert!(out.products.is_empty(), "{}", out.reply);
}

#[test]
fn a_missing_kind_is_offered_what_has_every_port_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // No hubs: the USB-C to HDMI adapter does the job, marked as another kind.
    let out = say(&a, None, "h1", "a usb c hub with hdmi");
    assert!(out.reply.contains("We don't carry “hub”"), "{}", out.reply);
    assert_eq!(out.products.len(), 1, "{}", out.reply);
    assert!(
        out.products[0].title.contains("USB-C to HDMI Adapter")
            && out.products[0].relaxed == ["kind"],
        "{}",
        out.reply
    );
    // Written with a hyphen, and in German, the same.
    let out = say(&a, None, "h3", "ein usb-c hub mit hdmi");
    assert!(
        out.reply.contains("„usb-c hub“ führen wir leider nicht"),
        "{}",
        out.reply
    );
    assert_eq!(out.products[0].relaxed, ["kind"], "{}", out.reply);
    // One port alone names no job: no cable or monitor offered as a hub.
    let out = say(&a, None, "h2", "usb c hub");
    assert!(out.products.is_empty(), "{}", out.reply);
}

#[test]
fn a_memory_generation_said_apart_is_that_generation() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // Voice writes "ddr four": the DDR4 module of 16 GB, not "nothing with 16 GB".
    let out = say(&a, None, "d1", "sixteen gigabytes of ram ddr four");
    assert_eq!(out.products.len(), 1, "{}", out.reply);
    assert!(
        out.products[0].title.contains("16GB (2x8GB) DDR4"),
        "{}",
        out.reply
    );
    let out = say(&a, None, "d2", "arbeitsspeicher ddr fünf");
    assert!(!out.products.is_empty(), "{}", out.reply);
    assert!(
        out.products.iter().all(|p| p.title.contains("DDR5")),
        "{}",
        out.reply
    );
}

#[test]
fn a_size_in_the_unit_it_was_asked_in_is_that_size() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // The 44/45/42 mm band is no 41 mm one, though 42 is within 3 % of 41.
    let out = say(&a, None, "s1", "a band for my apple watch 41mm");
    assert_eq!(ids(&out), ["T094"], "{}", out.reply);
}

#[test]
fn several_targets_are_searched_and_shown_as_groups() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    let out = say(
        &a,
        None,
        "c6",
        "the cheapest hdmi cable and the cheapest tv",
    );
    assert_eq!(ids(&out), ["C01", "TV2"], "{}", out.reply);
    let groups: Vec<Option<usize>> = out.products.iter().map(|p| p.group).collect();
    assert_eq!(groups, [Some(0), Some(1)]);
    assert_eq!(
        out.understanding.targets,
        ["cheapest hdmi cable", "cheapest tv"]
    );
    // One heading per target, numbered on across the groups.
    assert!(
        out.reply.contains("For “cheapest hdmi cable”") && out.reply.contains("2. Compact LED TV"),
        "{}",
        out.reply
    );
    // "the second one" points into the second group.
    let next = say(
        &a,
        Some(&out.session_id),
        "c6",
        "add the second one to my cart",
    );
    let cart = next.cart.expect("a cart");
    assert_eq!(cart.items[0].item.product_id, "TV2");

    // A model by itself takes the words before it; the price limit holds for both.
    let out = say(
        &a,
        None,
        "c7",
        "anker 313 and a power bank under 50 dollars",
    );
    assert_eq!(ids(&out), ["WC1", "PB1"], "{}", out.reply);

    // "for it" is what the target before was for; a kind the shop lacks is said in
    // its own group, and the other group is unaffected.
    let out = say(
        &a,
        None,
        "c8",
        "a case for my iphone 12 pro max and a charger for it",
    );
    assert_eq!(out.understanding.targets.len(), 2, "{}", out.reply);
    assert_eq!(out.products[0].id, "PC1", "{}", out.reply);
    assert_eq!(out.products[0].group, Some(0));

    // One product's name with "and" in it is one target; so is a single request.
    let out = say(&a, None, "c9", "hdmi cable and ethernet");
    assert!(out.understanding.targets.is_empty(), "{}", out.reply);
    assert!(out.products.iter().all(|p| p.group.is_none()));

    // Several targets and several steps: the first of each goes into the cart and
    // the order is only proposed.
    let out = say(
        &a,
        None,
        "c10",
        "add the acer p6500 and the anker 313 to my cart and check out",
    );
    let cart = out.cart.as_ref().expect("a cart");
    let mut in_cart: Vec<&str> = cart
        .items
        .iter()
        .map(|i| i.item.product_id.as_str())
        .collect();
    in_cart.sort();
    assert_eq!(in_cart, ["PJ1", "WC1"], "{}", out.reply);
    assert!(out.actions.iter().any(|x| x["type"] == "checkout.proposed"));
    assert!(!out.actions.iter().any(|x| x["type"] == "order.placed"));
    // A list written with commas (which normalising drops), or said without them:
    // two models no one listing has are two targets, the kind words going with the
    // model before them.
    for text in [
        "anker 313 wireless charger, acer p6500",
        "anker 313 wireless charger acer p6500",
    ] {
        let out = say(&a, None, "c11", text);
        assert_eq!(ids(&out), ["WC1", "PJ1"], "{text}: {}", out.reply);
        assert_eq!(
            out.understanding.targets,
            ["anker 313 wireless charger", "acer p6500"],
            "{text}"
        );
    }
    // Named products put into the cart: the plan's steps are the ones asked for,
    // without a search the message did not ask to see.
    let plan = serde_json::to_value(out.understanding.plan.as_ref().expect("a plan")).unwrap();
    assert_eq!(
        plan["steps"],
        serde_json::json!(["add_to_cart", "checkout"]),
        "{plan}"
    );
}

#[test]
fn a_cheaper_alternative_is_of_the_same_kind_and_says_what_differs() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    // Named: the 50 ft cable costs $39.45; the other cables are cheaper.
    let out = say(
        &a,
        None,
        "c11",
        "a cheaper alternative to the qualgear hdmi cable",
    );
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["C01", "C30"], "{}", out.reply);
    assert!(out.products.iter().all(|p| p.price < 3945));
    assert!(
        out.reply
            .starts_with("Cheaper than QualGear HDMI 2.0 Cable"),
        "{}",
        out.reply
    );
    let c30 = out.products.iter().find(|p| p.id == "C30").unwrap();
    assert!(
        c30.reasons.iter().any(|r| r == "50 ft → 30 ft"),
        "{:?}",
        c30.reasons
    );
    // Pointed at: the cheapest cable has nothing of its kind below it, and says so
    // instead of showing other kinds.
    let shown = say(&a, None, "c12", "the cheapest hdmi cable");
    assert_eq!(ids(&shown), ["C01"], "{}", shown.reply);
    let out = say(
        &a,
        Some(&shown.session_id),
        "c12",
        "is there anything cheaper than the first one",
    );
    assert!(out.products.is_empty(), "{}", out.reply);
    assert!(
        out.reply
            .starts_with("I have nothing of its kind cheaper than 4K HDMI Cable"),
        "{}",
        out.reply
    );
}

#[test]
fn a_cheaper_alternative_said_after_the_product_fits_where_it_does() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // "X but cheaper" and "a cheaper version of X" ask for alternatives, not X.
    let out = say(
        &a,
        None,
        "a1",
        "something like the corsair rm750x but cheaper",
    );
    let got = ids(&out);
    assert!(
        got.contains(&"T050") && got.contains(&"T054") && !got.contains(&"T052"),
        "{}",
        out.reply
    );
    assert!(
        out.products.iter().all(|p| p.price < 12999),
        "{}",
        out.reply
    );
    // The cheaper AM4 board; the cheaper LGA 1700 one fits no AM4 processor.
    let out = say(
        &a,
        None,
        "a2",
        "is there a cheaper version of the asus tuf x570",
    );
    assert_eq!(ids(&out), ["T020"], "{}", out.reply);
    // The same asked again "for less", in German.
    let out = say(&a, None, "a3", "gibt es das galaxy a35 auch günstiger");
    assert!(!ids(&out).contains(&"T072"), "{}", out.reply);
    assert!(ids(&out).contains(&"T070"), "{}", out.reply);
    // "passender" says it fits; it names no kind.
    let out = say(
        &a,
        None,
        "a4",
        "passender arbeitsspeicher für das asus tuf x570",
    );
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["T030", "T031"], "{}", out.reply);
}

#[test]
fn the_title_outranks_the_shelf_and_what_a_product_fits_is_no_kind_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    // A telescope filed under Binoculars is no binoculars, though it is dearer.
    let out = say(&a, None, "c6", "the most expensive binoculars");
    assert_eq!(ids(&out), ["BN1"], "{}", out.reply);
    // A stylus "compatible with … Tablets" is no tablet, though it is cheaper.
    let out = say(&a, None, "c6", "whats the cheapest tablet you have");
    assert_eq!(ids(&out), ["TB1"], "{}", out.reply);
    // A band names the watch it fits; the smart watch is the watch.
    let out = say(&a, None, "c6", "the cheapest smart watch");
    assert_eq!(ids(&out), ["SW1"], "{}", out.reply);
    // A bare length in feet is a spec: only the cable sold in 30 feet.
    let out = say(&a, None, "c6", "hdmi cable thirty feet");
    assert_eq!(ids(&out), ["C30"], "{}", out.reply);
}

#[test]
fn german_product_words_search_an_english_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    let out = say(&a, None, "c7", "ich suche ein fernglas");
    assert_eq!(ids(&out), ["BN1"], "{}", out.reply);
    assert_eq!(
        out.language,
        shopassist::nlu::Language::De,
        "answered in German"
    );
    let said = serde_json::to_value(&out.understanding).unwrap();
    assert_eq!(
        said["translated"],
        serde_json::json!([{"from": "fernglas", "to": "binoculars"}])
    );
    // A compound whose first part the catalogue lacks: a "handyhülle" is a case.
    let out = say(&a, None, "c7", "eine handyhülle bitte");
    assert_eq!(ids(&out), ["PC1"], "{}", out.reply);
    // A plural, a superlative and a cart step in one message: the words that carry
    // the intent stay German and still act.
    let out = say(
        &a,
        None,
        "c8",
        "leg das günstigste hdmi kabel in den warenkorb",
    );
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items.len(), 1, "{}", out.reply);
    assert_eq!(cart.items[0].item.product_id, "C01", "{}", out.reply);
    // An English word the catalogue knows is never translated.
    let out = say(&a, None, "c9", "cheapest hdmi cable");
    let said = serde_json::to_value(&out.understanding).unwrap();
    assert!(said.get("translated").is_none(), "{said}");
    // One is shown of those that match, and the reply says so: not "3 matching
    // products" above one.
    assert_eq!(out.products.len(), 1, "{}", out.reply);
    assert!(
        out.reply.starts_with("The first of ")
            && out.reply.contains(" matching products (cheapest first):"),
        "{}",
        out.reply
    );
    // A page in the search's order is products found.
    let out = say(&a, None, "c9", "hdmi cable");
    assert!(out.products.len() > 1, "{}", out.reply);
    assert!(out.reply.starts_with("I found "), "{}", out.reply);
}

#[test]
fn naming_a_listing_adds_the_version_its_title_names() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    // "QualGear … (50 Feet)" is sold in 25 and 50 feet; the listing is the 50 feet one.
    let out = say(
        &a,
        None,
        "c10",
        "add the qualgear hdmi cable to my cart and check out",
    );
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items.len(), 1, "{}", out.reply);
    assert_eq!(cart.items[0].item.variant_id, "C50-50", "{}", out.reply);
    assert!(
        out.actions.iter().any(|a| a["type"] == "checkout.proposed"),
        "{:?}",
        out.actions
    );
    assert!(!out.actions.iter().any(|a| a["type"] == "order.placed"));
}

/// The development set over the hand-written technical catalogue
/// (tests/data/specs/tech.jsonl), rules only: a second catalogue, unlike WebShop's,
/// that keeps the behaviour general. Its gold sets were written by reading the
/// catalogue. A failure names the requests that fell short.
#[test]
fn the_technical_catalogue_set_finds_exactly_what_was_asked() {
    let report = rules_only_report("tech");
    // Each names a general rule that once failed here.
    assert_found_exactly(
        &report,
        &[
            // A bare model is a search; a hyphenated model is not also its parts ("i5").
            "i5-13600k",
            // "4060 Ti" is another model than "4060".
            "rtx 4060 graphics card",
            // The cards titled "RTX 4060", not a laptop that lists one among its specs.
            "rtx 4060",
            // "650 watt" is a spec, not the model "650" of one power supply.
            "netzteil mit mindestens 650 watt",
            // A screen's bare inches are its size.
            "cheapest 27 inch monitor",
            // "RAM" is sold as memory; "16GB RAM" of a laptop is no kind of it.
            "cheapest ddr5 ram",
            // "P3 Plus" is one name, not a P3 and a second thing.
            "ssd with at least 2tb",
            // A model named alone is the phone, not its screen protector.
            "galaxy a25",
            // "for it" after a model is for that model.
            "samsung galaxy a25 and a case for it",
            // A connector is no head, and "X to Y" joins two plugs of one adapter.
            "hdmi to usb c adapter",
            // A socket with its number, a Wi-Fi generation: constraints, not words.
            "lga 1700 motherboard",
            "wifi 6 router",
            // A product named after "for" is found, and what fits it is by its socket.
            "motherboard for the ryzen 7 7700x",
            "a cpu that fits the asus tuf x570",
        ],
    );
    assert!(report.f1 >= 0.95, "{report}");
    assert!(report.first_right >= 0.9, "{report}");
}

#[test]
fn the_cheapest_of_a_models_listings_is_named_and_accessories_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    let out = say(
        &a,
        None,
        "c9",
        "find all offers for the anker 313 wireless charger",
    );
    let mut listed = ids(&out);
    listed.sort();
    assert_eq!(listed, ["T087", "T088", "T089"], "{}", out.reply);
    let n = ids(&out).iter().position(|id| *id == "T087").unwrap() + 1;
    assert!(
        out.reply
            .contains(&format!("The cheapest offer is number {n}, at $11.99.")),
        "{}",
        out.reply
    );
    // The phone, not its screen protector; its case when asked "for it".
    let out = say(&a, None, "c9", "galaxy a25 and a case for it");
    assert_eq!(ids(&out).len(), 3, "{}", out.reply);
    assert!(!ids(&out).contains(&"T083"), "{}", out.reply);
    assert_eq!(ids(&out)[2], "T080", "{}", out.reply);
    let plan = serde_json::to_value(out.understanding.plan.as_ref().unwrap()).unwrap();
    assert_eq!(plan["targets"][1]["kind"], "case", "{plan}");
    assert_eq!(plan["targets"][1]["models"], serde_json::json!(["a25"]));
}

#[test]
fn a_product_for_a_shown_one_fits_its_socket_memory_and_ports() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    let boards = say(&a, None, "c10", "am4 motherboard");
    assert_eq!(ids(&boards).len(), 2, "{}", boards.reply);
    // DDR4 boards: DDR4 desktop memory only, none of the DDR5 kits, and not the
    // laptop's SODIMM (T034).
    let ram = say(&a, Some(&boards.session_id), "c10", "ram for the first one");
    let mut got = ids(&ram);
    got.sort();
    assert_eq!(got, ["T030", "T031"], "{}", ram.reply);
    let plan = serde_json::to_value(ram.understanding.plan.as_ref().unwrap()).unwrap();
    assert!(
        plan["targets"][0]["compatible_with"]
            .as_array()
            .is_some_and(|a| a.contains(&serde_json::json!("DDR4"))),
        "{plan}"
    );
    // An LGA 1700 board: its socket's processors, in German too.
    let boards = say(&a, None, "c10", "lga 1700 motherboard");
    let cpus = say(
        &a,
        Some(&boards.session_id),
        "c10",
        "ich brauche einen prozessor für das erste",
    );
    assert!(!ids(&cpus).is_empty(), "{}", cpus.reply);
    assert!(
        cpus.products.iter().all(|p| p.title.contains("LGA1700")),
        "{}",
        cpus.reply
    );
    // A phone names no connector: a case for it is a case for its model.
    let phone = say(&a, None, "c10", "galaxy a25");
    let case = say(
        &a,
        Some(&phone.session_id),
        "c10",
        "a case for the first one",
    );
    assert_eq!(ids(&case), ["T080"], "{}", case.reply);
}

#[test]
fn a_product_named_to_fit_is_found_and_its_connectors_choose() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // A CPU named after "for": the boards of its socket, with the evidence.
    let out = say(&a, None, "c12", "motherboard for the ryzen 7 7700x");
    assert_eq!(ids(&out), ["T022"], "{}", out.reply);
    assert!(
        out.products[0].reasons.iter().any(|r| r.contains("AM5")),
        "{:?}",
        out.products[0].reasons
    );
    // Its socket is said in the description only ("Socket AM4, …").
    let out = say(&a, None, "c12", "a cpu that fits the asus tuf x570");
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["T001", "T002", "T003", "T004"], "{}", out.reply);
    // A DDR4 board: no DDR5 kit; in German too.
    for text in [
        "ram for my msi b550 tomahawk",
        "arbeitsspeicher für das msi b550 tomahawk",
    ] {
        let out = say(&a, None, "c12", text);
        assert!(!out.products.is_empty(), "{text}: {}", out.reply);
        assert!(
            out.products.iter().all(|p| p.title.contains("DDR4")),
            "{text}: {}",
            out.reply
        );
    }
    // Asked as a question, with "das" before the name: no pointer at a shown one.
    let out = say(
        &a,
        None,
        "c12",
        "welcher arbeitsspeicher passt in das asus rog strix z790-e",
    );
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["T032", "T033"], "{}", out.reply);
    // Its M.2 slots take NVMe drives as well as SATA ones.
    let out = say(&a, None, "c12", "an ssd for the b550 tomahawk");
    assert!(ids(&out).contains(&"T040"), "{}", out.reply);
    assert!(ids(&out).contains(&"T043"), "{}", out.reply);
    // No case here fits the Pixel: said, and no other phone's case shown.
    let out = say(&a, None, "c12", "a case for the google pixel 8a");
    assert!(out.products.is_empty(), "{}", out.reply);
    assert!(
        out.reply
            .contains("We don't carry “a case for the google pixel 8a”"),
        "{}",
        out.reply
    );
    // A charger names no phone it fits: the chargers, the phone's maker's first.
    let out = say(&a, None, "c12", "charger for the samsung galaxy a25");
    assert_eq!(ids(&out).first(), Some(&"T084"), "{}", out.reply);
    // Two targets are no product that the first must fit.
    let out = say(
        &a,
        None,
        "c12",
        "a case for the galaxy a35 and a 25w charger",
    );
    assert!(ids(&out).contains(&"T084"), "{}", out.reply);
}

#[test]
fn two_named_products_are_compared_and_an_unstated_order_is_not_claimed() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // Nothing shown yet: the products the comparison names, shown and compared.
    let out = say(&a, None, "c13", "compare the galaxy a35 and the galaxy a55");
    assert_eq!(ids(&out), ["T072", "T073"], "{}", out.reply);
    assert!(out.reply.contains("cheaper by $100.00"), "{}", out.reply);
    assert!(out.reply.contains("128 GB → 256 GB"), "{}", out.reply);
    let out = say(
        &a,
        None,
        "c13",
        "vergleiche das galaxy a25 mit dem galaxy a35",
    );
    assert_eq!(ids(&out).len(), 2, "{}", out.reply);
    assert!(ids(&out)[1] == "T072", "{}", out.reply);
    // No laptop states its weight: shown by relevance, and said so.
    let out = say(&a, None, "c13", "the lightest laptop");
    assert!(
        out.reply.contains("I can't tell which is the lightest"),
        "{}",
        out.reply
    );
    assert!(!out.reply.contains("lightest first"), "{}", out.reply);
    assert!(
        !ids(&out).contains(&"T135"),
        "a sleeve is no laptop: {}",
        out.reply
    );
    // Nothing is long enough: the USB-C cables nearest to it, not HDMI ones.
    let out = say(&a, None, "c13", "i want a usb c cable at least 2 meters");
    assert_eq!(ids(&out), ["T106", "T107"], "{}", out.reply);
    assert!(out.products.iter().all(|p| !p.relaxed.is_empty()));
}

/// Accessories made for numbers of one product line, titled as shops title them.
const LINES: &str = r#"{"id":"L1","title":"PEEL Ultra Thin iPhone 12 Pro Max Case, Black - Minimalist Design","price":2900,"currency":"USD","language":"en","category":["Electronics","Cases"],"variants":[{"id":"L1-1","stock":3}]}
{"id":"L2","title":"Square iPhone 11 Case, Cute Full Camera Lens Protection Bumper Case","price":1299,"currency":"USD","language":"en","category":["Electronics","Cases"],"variants":[{"id":"L2-1","stock":3}]}
{"id":"L3","title":"Spigen Liquid Air Case for Galaxy S21","price":1499,"currency":"USD","language":"en","category":["Electronics","Cases"],"variants":[{"id":"L3-1","stock":3}]}
{"id":"L4","title":"OTAO Privacy Screen Protector for iPhone 11 Pro Max/iPhone Xs Max 6.5 Inch Tempered Glass","price":998,"currency":"USD","language":"en","category":["Electronics","Screen Protectors"],"variants":[{"id":"L4-1","stock":3}]}
{"id":"L5","title":"Baseus Magnetic Power Bank 10,000mAh, Designed for iPhone 13/13 Pro Max/13 Mini","price":3999,"currency":"USD","language":"en","category":["Electronics","Power Banks"],"variants":[{"id":"L5-1","stock":3}]}
{"id":"L6","title":"Anker 10W Wireless Charger, Qi-Certified, for iPhone 12/12 Pro/12 mini","price":2599,"currency":"USD","language":"en","category":["Electronics","Chargers"],"variants":[{"id":"L6-1","stock":3}]}
{"id":"L7","title":"USB Wall Charger 24W Dual Port Fast Charger for iPhone Android Samsung","price":1099,"currency":"USD","language":"en","category":["Electronics","Chargers"],"variants":[{"id":"L7-1","stock":3}]}
"#;

#[test]
fn an_accessory_for_a_line_and_number_is_made_for_that_number() {
    let dir = tempfile::tempdir().unwrap();
    let (a, report) = crate::common::rules_only_assistant(
        dir.path(),
        LINES,
        shopassist::catalog::import::Format::Jsonl,
    );
    assert!(report.errors.is_empty(), "{report}");
    // Cases for the iPhone 11 and 12 are none for the 13, nor is the Galaxy's.
    let out = say(&a, None, "c14", "iphone 13 case");
    assert!(out.products.is_empty(), "{}", out.reply);
    assert!(
        out.reply.contains("We don't carry “iphone 13 case”"),
        "{}",
        out.reply
    );
    let out = say(&a, None, "c14", "iphone 11 case");
    assert_eq!(ids(&out), ["L2"], "{}", out.reply);
    // "iPhone 11 Pro Max" late in a title, in a list of the line's models; it is
    // another phone than the iPhone 11, and the 12 Pro Max case none for the 12.
    let out = say(&a, None, "c14", "screen protector for iphone 11 pro max");
    assert_eq!(ids(&out), ["L4"], "{}", out.reply);
    let out = say(&a, None, "c14", "screen protector for iphone 11");
    assert!(!ids(&out).contains(&"L4"), "{}", out.reply);
    let out = say(&a, None, "c14", "iphone 12 case");
    assert!(!ids(&out).contains(&"L1"), "{}", out.reply);
    let out = say(&a, None, "c14", "iphone 12 pro max case");
    assert_eq!(ids(&out), ["L1"], "{}", out.reply);
    // A charger for any iPhone fits; one made for the 12 does not.
    let out = say(&a, None, "c14", "charger for iphone 13");
    assert!(ids(&out).contains(&"L7"), "{}", out.reply);
    assert!(!ids(&out).contains(&"L6"), "{}", out.reply);
    let out = say(&a, None, "c14", "charger for iphone 12");
    assert!(ids(&out).contains(&"L6"), "{}", out.reply);
    assert!(!out.reply.contains("cheapest offer"), "{}", out.reply);
}

#[test]
fn a_brand_with_a_kind_shows_that_brand_or_says_it_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    let out = say(&a, None, "c15", "samsung ssd");
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["T040", "T041", "T125", "T126"], "{}", out.reply);
    assert_eq!(out.understanding.brand.as_deref(), Some("samsung"));
    // No Samsung laptop: the laptops by others, shown apart and said so.
    let out = say(&a, None, "c15", "samsung laptop");
    assert!(
        out.reply.starts_with("I have nothing by Samsung"),
        "{}",
        out.reply
    );
    assert!(!out.products.is_empty());
    // The MacBook Air's title names no laptop, its shelf does.
    assert!(out.products.iter().all(|p| p.relaxed == ["brand"]
        && ["T130", "T131", "T132", "T133", "T134"].contains(&p.id.as_str())));
    // A brand the title names counts: the board for Intel processors, the case for
    // a Samsung phone.
    let out = say(&a, None, "c15", "intel motherboard");
    assert!(ids(&out).contains(&"T024"), "{}", out.reply);
    assert!(out
        .products
        .iter()
        .all(|p| p.title.contains("Motherboard") && p.relaxed.is_empty()));
    let out = say(&a, None, "c15", "samsung case");
    assert_eq!(ids(&out), ["T080"], "{}", out.reply);
}

#[test]
fn a_refinement_that_opens_a_conversation_searches_what_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    // "bigger than" refines nothing yet: the binoculars are asked for, and "10x" is
    // their magnification, no count.
    let out = say(&a, None, "c11", "binoculars bigger than 10x");
    assert_eq!(out.intent.as_str(), "search", "{}", out.reply);
    assert_eq!(out.understanding.slots.quantity, None);
    assert!(ids(&out).contains(&"BN1"), "{}", out.reply);
    // After a search, the same words refine it.
    let session = out.session_id.clone();
    let out = say(&a, Some(&session), "c11", "bigger");
    assert_eq!(out.intent.as_str(), "refine", "{}", out.reply);
}

#[test]
fn a_range_a_product_fits_and_a_refresh_rate_are_specs() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // "fits 10-17 Inch Laptops" fits a 15 inch laptop, and says so.
    let out = say(&a, None, "c12", "laptop stand for 15 inch laptop");
    assert_eq!(ids(&out), ["T136"], "{}", out.reply);
    assert!(out.reply.contains("(= 15 in)"), "{}", out.reply);
    // Refresh rates in Hz: a bound, and a value no monitor has, said.
    let out = say(&a, None, "c12", "monitor with at least 144 hz");
    let found = sorted(&out);
    assert_eq!(found, ["T062", "T064", "T065"], "{}", out.reply);
    let out = say(&a, None, "c12", "a 240hz monitor");
    assert!(
        out.reply.starts_with("I have nothing with 240 Hz"),
        "{}",
        out.reply
    );
}

/// A third catalogue (tests/data/specs/gadgets.jsonl: audio, wearables, TVs, storage,
/// consoles, phones and their accessories), written with its gold sets in one sitting
/// before the code ran on it, as a check that the rules are general. Rules only.
#[test]
fn a_third_catalogue_written_before_the_code_read_it_finds_what_was_asked() {
    let report = rules_only_report("gadgets");
    // Each names a general rule that failed on the first run.
    assert_found_exactly(
        &report,
        &[
            // "TV Wall Mount … for 37-82 inch TVs" is a mount, not the largest TV.
            "largest tv",
            "tv at least 65 inch",
            // "Smart Watch" and "Sound Bar" are the shelf's "Smartwatches" and "Soundbars".
            "cheapest smartwatch",
            "soundbar",
            "find the cheapest soundbar and add it to my cart",
            // A case "for iPhone 15 Pro" does not fit the iPhone 15; the 15 Pro is no 15.
            "case for iphone 15",
            "an iphone 15 and a case for it",
            // A line named with its number ("PlayStation 5") is carried: the model is.
            "playstation 5",
            "a playstation 5 and a dualsense controller",
            // A "Magnetic Battery … Portable Charger" on "Power Banks", described as a
            // power bank, is one (the shelf and the description agree).
            "cheapest power bank",
        ],
    );
    assert!(report.f1 >= 0.95, "{report}");
    assert!(report.first_right >= 0.9, "{report}");
}

/// A fourth catalogue (tests/data/specs/home.jsonl: power tools and their batteries,
/// vacuums, kitchen appliances, air quality, smart home, cameras, outdoor power),
/// written with its gold sets before the code ran on it (F1 0.899 on that first run).
/// Rules only.
#[test]
fn a_fourth_catalogue_of_appliances_and_tools_finds_what_was_asked() {
    let report = rules_only_report("home");
    assert_found_exactly(
        &report,
        &[
            // A model code closing a title in brackets is that listing's own model.
            "dewalt dcd771c2",
            "dewalt dcd771c2 and dcb205",
            // A replacement filter named after the purifier is no purifier, and the
            // purifier whose title lists its filter is no filter.
            "levoit core 300",
            "a replacement filter for my levoit core 300",
            // Quarts, litres written "1.8L", amp hours, "taller than", megabytes a
            // second typed in lower case, "a hundred".
            "air fryer at least 5 quart",
            "pressure cooker 8 quart",
            "kettle at least 1.8 liters",
            "dewalt battery with at least 4ah",
            "tripod taller than 55 inches",
            "memory card faster than 200mb/s",
            "a blender under a hundred dollars",
            // Added after the first run: a "Drill Driver Kit" on a shelf below "Drills"
            // is a drill; German words for appliances over an English catalogue.
            "cordless drill",
            "akkuschrauber",
            "saugroboter",
            "stirnlampe",
            "heißluftfritteuse mit mindestens 5 liter",
        ],
    );
    // The alternatives are of the kind the product's first phrase names, not
    // whatever shares its colour ("Yellow/Nickel" found a "Satin Nickel" doorbell).
    assert!(
        f1_of(&report, "a cheaper alternative to the dyson v15") >= 0.8,
        "{report}"
    );
    assert!(report.f1 >= 0.95, "{report}");
    assert_eq!(report.first_right, 1.0, "{report}");
}

/// A fifth catalogue (tests/data/specs/media.jsonl: headphones, speakers, TVs,
/// networking, storage, printers and ink, e-readers and tablets, games, chargers and
/// cables), written with its gold sets before the code ran on it (F1 0.902 on that
/// first run). Rules only.
#[test]
fn a_fifth_catalogue_of_media_networking_and_storage_finds_what_was_asked() {
    let report = rules_only_report("media");
    assert_found_exactly(
        &report,
        &[
            // A title that names its line ("Apple iPad (10th Generation)", "Kindle
            // Paperwhite (16 GB)") is of the kind its shelf names; the shelf's
            // hyphenated name ("E-Readers") is the word titles write whole, and a
            // shopper's "e-reader" asks for it.
            "tablet with at least a 10 inch screen",
            "cheapest e-reader",
            "e-reader with a 6.8 inch screen",
            "ein tablet mit mindestens 10 zoll",
            // "ink" and "toner" are no kinds, but what cartridges are named after.
            "ink for my hp deskjet 2755e",
            "toner for the brother hl-l2350dw",
            // A line of two letters after another's name is a line with its number
            // ("Fire HD 10"): not padded with an "HD 720p Fire TV" or a case for it.
            "fire hd 10",
            "a case for the fire hd 10",
            // A product named by its line ("airpods pro") is a target of its own.
            "sony wh-1000xm5 and airpods pro",
            // Lumens and the hours a thing runs.
            "projector with at least 1000 lumens",
            "headphones with at least 35 hours of battery",
        ],
    );
    assert!(report.f1 >= 0.97, "{report}");
    assert_eq!(report.first_right, 1.0, "{report}");
}

/// Requests as shoppers say them over the fifth catalogue (media_said.jsonl: casual,
/// voice, typos, German), written before the code ran on them (F1 0.831 on that
/// first run). Rules only.
#[test]
fn shoppers_words_over_the_fifth_catalogue_find_what_was_asked() {
    let report = rules_only_report("media_said");
    assert_found_exactly(
        &report,
        &[
            // A model written without its hyphen ("WH-1000XM4").
            "do you sell the sony wh1000xm4",
            // "one" before a unit is a number.
            "samsung t7 one terabyte",
            // The lexicon's synonym of a kind, when the kind finds nothing: Apple's
            // charger is titled "Power Adapter".
            "apple 20w charger",
            // Voice drops the apostrophe: "thats" names nothing.
            "a tv thats at least fifty inches",
            // "Apple TV 4K" is a streaming box on its shelf, no 4K TV.
            "a 4k tv under 500",
            "cheapest 4k tv",
            // A line named with a common word is a target of its own.
            "echo dot and sonos one",
            // A colour every title with the next word has before it names the
            // product ("Blue Yeti"), not a colour every blue product matches.
            "blue yeti",
            // A name of two words read by its synonym: a flash drive, no streaming
            // stick; German accessory words over an English catalogue.
            "usb stick",
            "ersatz ohrpolster für sony wh-1000xm4",
            // A kind misspelt is the kind the speller reads: headphones, not the ear
            // pads whose description names them.
            "headphnes",
        ],
    );
    // "a tablet and a case for it": two groups, the case one for a tablet.
    assert!(
        f1_of(&report, "a tablet and a case for it") >= 0.85,
        "{report}"
    );
    assert!(report.f1 >= 0.95, "{report}");
}

/// Requests as shoppers say them over the technical catalogue (tech_said.jsonl),
/// written before the code ran on them (F1 0.935 on that first run, with one gold
/// set corrected after it). Rules only.
#[test]
fn shoppers_words_over_the_technical_catalogue_find_what_was_asked() {
    let report = rules_only_report("tech_said");
    assert_found_exactly(
        &report,
        &[
            // "27 inch or bigger" is a lower end.
            "monitor 27 inch or bigger",
            // A title that names its product by a line no lexicon knows ("Motorola
            // Moto G Play 2024, 64GB") is of its shelf's kind.
            "cheapest phone",
        ],
    );
    // Cheaper alternatives are of the product's own kind, not of the line its title
    // ends in ("… Graphics Card Ventus 2X" found only the other Ventus).
    assert!(
        f1_of(&report, "a cheaper alternative to the rtx 4070") >= 0.7,
        "{report}"
    );
    assert!(report.f1 >= 0.97, "{report}");
    assert_eq!(report.first_right, 1.0, "{report}");
}

/// A superlative word names no product: "longest" matching the "Long" of an HDMI
/// cable's title made it as good a match for "longest usb cable" as the USB cables,
/// and the 100 ft HDMI cable came first.
#[test]
fn a_superlative_word_is_no_word_a_product_matches() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        (
            "C1",
            "High Speed Long HDMI 2.0 Cable with Ethernet (100 Feet)",
        ),
        ("C2", "Link Cable 16ft, USB 3.2 Gen 1 Type A to C Cable"),
        ("C3", "USB Charging Cable 6ft, Nylon Braided"),
    ];
    let text = crate::common::titled_listings(&rows, &["Electronics", "Cables"]);
    let (a, report) = crate::common::rules_only_assistant(
        dir.path(),
        &text,
        shopassist::catalog::import::Format::Jsonl,
    );
    assert!(report.errors.is_empty(), "{report}");
    let out = say(&a, None, "c-longest", "longest usb cable");
    assert_eq!(ids(&out).first().copied(), Some("C2"), "{}", out.reply);
    assert!(!ids(&out).contains(&"C1"), "{}", out.reply);
}

/// "The most" or "the least" of a unit or a measure sorts by it, like "largest",
/// and each product shown says its value: "which digital camera has the most
/// megapixels" was shown by relevance.
#[test]
fn the_most_of_a_unit_sorts_by_it_and_says_each_value() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    let out = say(&a, None, "c-most", "the power bank with the most mah");
    assert_eq!(ids(&out).first().copied(), Some("T121"), "{}", out.reply);
    assert!(
        out.products[0].reasons.iter().any(|r| r == "24000 mAh"),
        "{:?}",
        out.products[0].reasons
    );
    let out = say(&a, None, "c-least", "the power bank with the lowest mah");
    assert_eq!(ids(&out).first().copied(), Some("T120"), "{}", out.reply);
    // The reply names the order in the shopper's words, as a German sorts:
    // "größte zuerst" for "am größten" ("größten zuerst" before).
    let out = say(&a, None, "c-groesste", "welcher monitor ist am größten");
    assert!(out.products[0].title.contains("34 Inch"), "{}", out.reply);
    assert!(out.reply.contains("(größte zuerst)"), "{}", out.reply);
}

/// A superlative that names no product orders the whole catalogue: "cheapest thing
/// you sell" was read as a misspelt "thong", and "whats the cheapest you have" was
/// ordered among a few products its words found.
#[test]
fn the_cheapest_of_anything_is_the_catalogues_cheapest() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    let out = say(
        &a,
        None,
        "c-dearest",
        "what is the most expensive thing you sell",
    );
    assert_eq!(ids(&out).first().copied(), Some("T134"), "{}", out.reply);
    let out = say(&a, None, "c-cheapest", "whats the cheapest you have");
    assert!(!out.products.is_empty(), "{}", out.reply);
    for id in ids(&out) {
        assert!(["T083", "T094", "T100"].contains(&id), "{}", out.reply);
    }
}

/// A sixth catalogue (outdoor_catalog.jsonl: garden, outdoor power tools, cords and
/// ladders, car care, camping, cycling, grills) and requests over it, typed and as
/// said, written before the code ran on them (F1 0.904, superlatives first right
/// 92.9 % on that first run). Rules only.
#[test]
fn a_sixth_catalogue_written_before_the_code_read_it_finds_what_was_asked() {
    let report = rules_only_report("outdoor");
    assert_found_exactly(
        &report,
        &[
            // Pressure, current and people are specs: "2030 Max PSI", "1700 Peak Amp",
            // "6 Person".
            "pressure washer over 2000 psi",
            "jump starter with at least 1500 amps",
            "6 person tent",
            // A thing's inches are its size, also before another number ("21-Inch
            // 56-Volt").
            "lawn mower with a 21 inch deck",
            "26 inch wiper blade",
            // "reaches" asks for at least; "tallest" orders by length.
            "i need a ladder that reaches twenty feet",
            "tallest ladder",
            // Words a title has in its order name the product, whatever its last
            // word names elsewhere ("Original Kettle", "Hydro Flask", "Flash").
            "every listing of the weber original kettle",
            "jetboil flash",
            "i want the hydro flask 32 oz",
            // Two models one product of the named brand has together are its name,
            // not the other brand's "Mini 2".
            "viofo a119 mini 2",
            "kühlbox",
        ],
    );
    assert!(report.first_right >= 0.99, "{report}");
    assert!(report.f1 >= 0.97, "{report}");
}

/// Requests as shoppers say them over the sixth catalogue (outdoor_said.jsonl),
/// written before the code ran on them (F1 0.947 on that first run). Rules only.
#[test]
fn shoppers_words_over_the_sixth_catalogue_find_what_was_asked() {
    let report = rules_only_report("outdoor_said");
    assert_found_exactly(
        &report,
        &[
            // The biggest tent is the one for the most people.
            "the biggest tent you got",
            // Spelled numbers and German persons.
            "a hundred foot extension cord",
            "pressure washer at least three thousand psi",
            "zelt für 4 personen",
            "hochdruckreiniger",
        ],
    );
    assert_eq!(report.first_right, 1.0, "{report}");
    assert!(report.f1 >= 0.95, "{report}");
}

/// A question that names a product no shown one is ("how much is the greenworks 80v
/// mower", "is the yeti tundra 45 in stock") finds it, shows it and answers about
/// it; "Which product do you mean?" was the answer. A question about a shown product
/// still answers about that one. The phrasings were written before the code ran on
/// them (outdoor_named.jsonl: F1 0.865 on that first run).
#[test]
fn a_question_that_names_a_product_is_answered_about_that_product() {
    let dir = tempfile::tempdir().unwrap();
    let a = catalogue_assistant(dir.path(), "outdoor");
    let out = say(&a, None, "q1", "how much is the greenworks 80v mower");
    assert_eq!(ids(&out), ["O010"], "{}", out.reply);
    assert!(out.reply.contains("$499.99"), "{}", out.reply);
    let out = say(&a, None, "q1", "is the yeti tundra 45 in stock");
    assert_eq!(ids(&out), ["O046"], "{}", out.reply);
    assert!(out.reply.contains("in stock"), "{}", out.reply);
    // Coolers shown: "the second one" and "it" are about those, and a shown cooler
    // named is that one.
    let shown = say(&a, None, "q2", "show me coolers");
    let session = shown.session_id.clone();
    let mut coolers = ids(&shown);
    coolers.sort();
    assert_eq!(coolers, ["O046", "O047", "O048"], "{}", shown.reply);
    let second = shown.products[1].title.clone();
    let out = say(&a, Some(&session), "q2", "how much is the second one");
    assert!(out.reply.contains(&second), "{second}: {}", out.reply);
    let out = say(&a, Some(&session), "q2", "is the yeti tundra 45 in stock");
    assert!(out.reply.contains("YETI Tundra 45"), "{}", out.reply);
    // Nothing shown and nothing named: which product is asked.
    let out = say(&a, None, "q3", "how much is it");
    assert!(out.products.is_empty(), "{}", out.reply);

    let report = rules_only_report("outdoor_named");
    assert!(report.f1 >= 0.9, "{report}");
}

/// A question about a model the shop lists twice ("is the galaxy a25 in stock")
/// shows both listings and answers for each: before, it showed them and answered
/// nothing. A feature asked by its own word ("does … have 5g") is looked up in each
/// listing's text; one no text names is said to be unknown, never denied.
#[test]
fn a_question_about_a_model_listed_twice_is_answered_for_each_listing() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // Two lines of the reply start with `start`: one answer for each listing.
    let answered_twice = |out: &TurnOutput, start: &str| {
        let answers = out.reply.lines().filter(|l| l.starts_with(start)).count();
        assert_eq!(answers, 2, "{}", out.reply);
    };
    let out = say(&a, None, "a1", "is the galaxy a25 in stock");
    let found = sorted(&out);
    assert_eq!(found, ["T070", "T071"], "{}", out.reply);
    answered_twice(&out, "Yes, Samsung Galaxy A25");
    let out = say(&a, None, "a2", "does the galaxy a25 have 5g");
    answered_twice(&out, "Yes, Samsung Galaxy A25");
    assert!(out.reply.contains("has 5g"), "{}", out.reply);
    let out = say(&a, None, "a3", "hat das galaxy a25 5g");
    answered_twice(&out, "Ja, Samsung Galaxy A25");
    let out = say(&a, None, "a4", "does the galaxy a25 have a stylus");
    assert_eq!(
        out.reply.matches("doesn't say whether").count(),
        2,
        "{}",
        out.reply
    );
    assert!(!out.reply.contains("Yes,"), "{}", out.reply);
}

#[test]
fn a_kind_is_found_by_its_other_name_too() {
    // Two wifi extenders on the shelf of repeaters, one titled a booster, and an HDMI extender
    // (issue 23: "the cheapest wifi extender" is the $80 "WiFi Booster … Repeater").
    let catalog = r#"{"id":"X1","title":"2022 WiFi Extender, Wireless Signal Repeater up to 4500 sq.ft, 1200Mbps","price":10000,"currency":"USD","language":"en","category":["Electronics","Networking Products","Repeaters"],"variants":[{"id":"X1-1","stock":5}]}
{"id":"X2","title":"WiFi Booster Indoor/Outdoor Repeater Signal Booster 1200Mbps WiFi Amplifier Long Range","price":8000,"currency":"USD","language":"en","category":["Electronics","Networking Products","Repeaters"],"variants":[{"id":"X2-1","stock":5}]}
{"id":"X3","title":"HDMI Extender over Cat6 Ethernet Cable, 165ft","price":4500,"currency":"USD","language":"en","category":["Electronics","Video"],"variants":[{"id":"X3-1","stock":5}]}
{"id":"X4","title":"Cat6 Ethernet Cable 50 ft","price":1500,"currency":"USD","language":"en","category":["Electronics","Cables"],"variants":[{"id":"X4-1","stock":5}]}
{"id":"X5","title":"Modern Fabric Sofa, 3 Seater","price":49900,"currency":"USD","language":"en","category":["Home","Living Room"],"variants":[{"id":"X5-1","stock":2}]}
{"id":"X6","title":"Leather Couch with Recliner","price":89900,"currency":"USD","language":"en","category":["Home","Living Room"],"variants":[{"id":"X6-1","stock":2}]}
{"id":"R1","title":"HCDZ Replacement Remote Control for LG AKB73655847 LED LCD HDTV TV","price":1788,"currency":"USD","language":"en","category":["Electronics","Remote Controls"],"variants":[{"id":"R1-1","stock":2}]}
{"id":"R2","title":"Axxess AALC Remote RCA Level Controller","price":691,"currency":"USD","language":"en","category":["Electronics","Car Audio"],"variants":[{"id":"R2-1","stock":2}]}
"#;
    let (_dir, a) = assistant_over(catalog);
    let out = say(&a, None, "c1", "the cheapest wifi extender please");
    assert_eq!(ids(&out), ["X2"], "{}", out.reply);
    let out = say(&a, None, "c1", "wifi extender");
    let mut found = ids(&out);
    found.sort_unstable();
    assert_eq!(found, ["X1", "X2"]);
    // The other name does not make other things of it: the HDMI extender stays one.
    let out = say(&a, None, "c1", "cheapest hdmi extender");
    assert_eq!(ids(&out), ["X3"], "{}", out.reply);
    let out = say(&a, None, "c1", "the most expensive couch");
    assert_eq!(ids(&out), ["X6"], "{}", out.reply);
    let out = say(&a, None, "c1", "the cheapest couch");
    assert_eq!(ids(&out), ["X5"], "{}", out.reply);
    // A remote is a "Remote Control"; a remote control is no "Remote … Controller".
    let out = say(&a, None, "c1", "remote for my lg tv");
    assert_eq!(ids(&out), ["R1"], "{}", out.reply);
    let out = say(&a, None, "c1", "the cheapest remote control");
    assert_eq!(ids(&out), ["R1"], "{}", out.reply);
}

#[test]
fn a_product_the_shop_only_names_as_what_others_fit_is_not_carried() {
    let catalog = r#"{"id":"D1","title":"Rexona Motion Sense Invisible Deodorant Stick 40ml","price":3300,"currency":"USD","language":"en","category":["Beauty","Deodorants"],"variants":[{"id":"D1-1","stock":5}]}
{"id":"D2","title":"Cream Blush Stick, Natural Makeup Stick for Cheeks","price":1200,"currency":"USD","language":"en","category":["Beauty","Blush"],"variants":[{"id":"D2-1","stock":5}]}
{"id":"H1","title":"4K HDMI Cable 1ft, High-Speed HDMI 2.0, for PS5, Xbox, Roku, Apple TV","price":1549,"currency":"USD","language":"en","category":["Electronics","Cables"],"variants":[{"id":"H1-1","stock":5}]}
{"id":"P1","title":"Mini Projector 1080P, Home Video Projector for Phone/TV Stick/Laptop/PS4","price":19999,"currency":"USD","language":"en","category":["Electronics","Projectors"],"variants":[{"id":"P1-1","stock":5}]}
{"id":"C1","title":"Square iPhone 11 Case, Shockproof Bumper Case","price":1059,"currency":"USD","language":"en","category":["Cell Phones & Accessories","Cases"],"variants":[{"id":"C1-1","stock":5}]}
{"id":"C2","title":"Hard Shell Case for Nikon Z50, Black","price":2900,"currency":"USD","language":"en","category":["Camera & Photo","Cases"],"variants":[{"id":"C2-1","stock":5}]}
"#;
    let (_dir, a) = assistant_over(catalog);
    let not_carried = |out: &TurnOutput, asked: &str| {
        assert!(
            out.reply.contains(&format!("We don't carry “{asked}”")),
            "{}",
            out.reply
        );
        assert!(
            out.products.iter().all(|p| p.relaxed == ["kind"]),
            "{}",
            out.reply
        );
    };
    // Sticks here are deodorant and blush: a "tv stick" only in what a projector
    // plays from, and no Roku but in what a cable fits.
    not_carried(&say(&a, None, "c1", "fire tv stick 4k"), "fire tv stick");
    not_carried(&say(&a, None, "c1", "roku"), "roku");
    // Words no product, brand or category uses: no neighbours by meaning instead.
    let out = say(&a, None, "c1", "kindle paperwhite");
    not_carried(&out, "kindle paperwhite");
    assert!(out.products.is_empty());
    // Asked about with nothing shown: said, not "which product do you mean?", and
    // no answer about a product shown instead.
    let out = say(&a, None, "c1", "is the fire tv stick in stock");
    not_carried(&out, "fire tv stick");
    assert!(!out.reply.contains("in stock"), "{}", out.reply);
    let out = say(&a, None, "c1", "how much is the roku ultra");
    assert!(out.reply.contains("We don't carry"), "{}", out.reply);
    // A phone case is a case on the phones' shelf; a deodorant stick is a stick.
    let out = say(&a, None, "c1", "phone case");
    assert_eq!(ids(&out), ["C1"], "{}", out.reply);
    let out = say(&a, None, "c1", "deodorant stick");
    assert_eq!(ids(&out), ["D1"], "{}", out.reply);
}

#[test]
fn volts_are_a_spec_and_a_question_with_nothing_shown_names_its_product() {
    let catalog = r#"{"id":"S1","title":"Mean Well NDR-480-24 480W 24VDC DIN Rail Power Supply","price":10800,"currency":"USD","language":"en","category":["Electronics","Power Supplies"],"variants":[{"id":"S1-1","stock":3}]}
{"id":"S2","title":"ALITOVE 12V 5A Power Supply Adapter","price":1299,"currency":"USD","language":"en","category":["Electronics","Power Supplies"],"variants":[{"id":"S2-1","stock":3}]}
{"id":"S3","title":"Greenworks 80V 21-Inch Cordless Lawn Mower","price":49999,"currency":"USD","language":"en","brand":"Greenworks","category":["Garden","Lawn Mowers"],"variants":[{"id":"S3-1","stock":2}]}
{"id":"S4","title":"Greenworks 40V 16-Inch Cordless Lawn Mower","price":24999,"currency":"USD","language":"en","brand":"Greenworks","category":["Garden","Lawn Mowers"],"variants":[{"id":"S4-1","stock":2}]}
"#;
    let (_dir, a) = assistant_over(catalog);
    // "24VDC" is 24 volts; "24v" asks for them, whichever way round.
    for text in ["24v power supply", "power supply 24 volt"] {
        let out = say(&a, None, "c1", text);
        assert_eq!(ids(&out), ["S1"], "{}", out.reply);
        assert!(out.reply.contains("24 V"), "{}", out.reply);
    }
    // A question with nothing shown is about the one product it names...
    let out = say(&a, None, "c1", "how much is the greenworks 80v mower");
    assert_eq!(ids(&out), ["S3"], "{}", out.reply);
    assert!(out.reply.contains("$499.99"), "{}", out.reply);
    // ... and with two named alike, the list is the answer, not the first's price alone.
    let out = say(&a, None, "c1", "how much is the greenworks mower");
    assert_eq!(ids(&out), ["S3", "S4"], "{}", out.reply);
    assert!(!out.reply.contains(" costs "), "{}", out.reply);
    // Without a product's words it still asks which one.
    let out = say(&a, None, "c1", "is it in stock");
    assert!(out.products.is_empty(), "{}", out.reply);
}

#[test]
fn a_misspelt_kind_is_found_and_a_lacking_one_is_said_plainly() {
    // Headphones, a skin cream whose name ends in "roku", a cable for a Roku, and a
    // pancake a toaster warms: no toaster, no Roku.
    let catalog = r#"{"id":"H1","title":"NAUTICA H120 Bluetooth Headphones, On-Ear Wireless Headphones","price":4999,"currency":"USD","language":"en","category":["Electronics","Headphones"],"variants":[{"id":"H1-1","stock":5}]}
{"id":"H2","title":"GRADO SR325x Stereo Headphones, Wired, Open Back","price":29500,"currency":"USD","language":"en","category":["Electronics","Headphones"],"variants":[{"id":"H2-1","stock":5}]}
{"id":"M1","title":"Dr. Ohhira's Probiotic Magoroku Skin Care Treatment","price":3076,"currency":"USD","language":"en","category":["Beauty","Skin Care"],"variants":[{"id":"M1-1","stock":5}]}
{"id":"C1","title":"4K HDMI Cable 1ft, for PS5, Xbox, Apple TV","price":1549,"currency":"USD","language":"en","category":["Electronics","Cables"],"variants":[{"id":"C1-1","stock":5}]}
{"id":"P1","title":"Fluffy Buttermilk Pancakes, 18 pieces","description":"Frozen pancakes, ready from the toaster in two minutes.","price":1000,"currency":"USD","language":"en","category":["Food","Frozen"],"variants":[{"id":"P1-1","stock":5}]}
{"id":"E1","title":"TP-Link AC1200 WiFi Extender (RE315), Up to 1200Mbps","price":4999,"currency":"USD","language":"en","category":["Electronics","Range Extenders"],"variants":[{"id":"E1-1","stock":5}]}
"#;
    let (_dir, a) = assistant_over(catalog);
    // A kind misspelt is the kind, not a thing the shop lacks.
    let out = say(&a, None, "c1", "hedphones");
    let mut found = ids(&out);
    found.sort_unstable();
    assert_eq!(found, ["H1", "H2"], "{}", out.reply);
    // A thing no product is: said so, without the pancake that mentions it.
    let out = say(&a, None, "c1", "i need a toaster");
    assert!(ids(&out).is_empty(), "{}", out.reply);
    assert!(out.reply.contains("don't carry"), "{}", out.reply);
    // What stands in for a thing the shop lacks shares a word with it, not a
    // word's letters: no "Magoroku" cream for a Roku.
    let out = say(&a, None, "c1", "roku");
    assert!(!ids(&out).contains(&"M1"), "{}", out.reply);
    // A model titles only name as what a product fits: the cable is offered in
    // its place, marked so. A model in brackets after the name is the product's.
    let out = say(&a, None, "c1", "show me the ps5");
    assert!(out.reply.contains("don't carry"), "{}", out.reply);
    assert!(
        out.products
            .iter()
            .all(|p| p.relaxed.contains(&"kind".to_string())),
        "{}",
        out.reply
    );
    assert_eq!(ids(&say(&a, None, "c2", "tp-link re315")), ["E1"]);
    // "for my" names no person here: a soundbar the shop lacks, said so, and not
    // the cable for the TV offered in its place.
    let out = say(&a, None, "c3", "a soundbar for my apple tv");
    assert!(out.reply.contains("don't carry"), "{}", out.reply);
    assert!(ids(&out).is_empty(), "{}", out.reply);
}

#[test]
fn a_shelf_that_sorts_by_a_word_and_a_compound_listed_whole_are_not_that_kind() {
    // Microwave popcorn on the shelf "Popcorn › Microwave", plain popcorn, a file
    // cabinet, and a laptop on the plural shelf "Laptops": no microwave, no fridge.
    let catalog = r#"{"id":"P1","title":"20pk Hawaiian Typhoon Microwave Popcorn Singles","price":16399,"currency":"USD","language":"en","category":["Grocery","Popcorn","Microwave"],"variants":[{"id":"P1-1","stock":5}]}
{"id":"P2","title":"Butterkist Salted Popcorn 80g X 4 Pack","price":3891,"currency":"USD","language":"en","category":["Grocery","Popcorn"],"variants":[{"id":"P2-1","stock":5}]}
{"id":"F1","title":"Sauder Palladia File Cabinet, Vintage Oak finish","price":22500,"currency":"USD","language":"en","category":["Office","File Cabinets"],"variants":[{"id":"F1-1","stock":5}]}
{"id":"L1","title":"Dell Inspiron Laptop Computer, 15.6 inch","price":54900,"currency":"USD","language":"en","category":["Computers","Laptops"],"variants":[{"id":"L1-1","stock":5}]}
"#;
    let (_dir, a) = assistant_over(catalog);
    // The popcorn is offered in place of a microwave, marked so, under its parent
    // shelf's name.
    let out = say(&a, None, "c1", "microwave");
    assert!(out.reply.contains("don't carry"), "{}", out.reply);
    assert!(out.reply.contains("Popcorn"), "{}", out.reply);
    assert!(
        out.products
            .iter()
            .all(|p| p.relaxed.contains(&"kind".to_string())),
        "{}",
        out.reply
    );
    // Both are popcorn ("Singles" are single-serve packs of it).
    let out = say(&a, None, "c2", "popcorn");
    let mut found = ids(&out);
    found.sort_unstable();
    assert_eq!(found, ["P1", "P2"]);
    // A shelf of kinds is plural: the laptop computer is a laptop.
    assert_eq!(ids(&say(&a, None, "c3", "laptop")), ["L1"]);
    // "Kühlschrank" is listed whole as a fridge: no sort of "Schrank" (cabinet).
    let out = say(&a, None, "c4", "ich suche einen kühlschrank");
    assert!(!ids(&out).contains(&"F1"), "{}", out.reply);
    assert!(out.reply.contains("nicht"), "{}", out.reply);
}

#[test]
fn a_question_about_a_named_model_finds_it_though_in_could_be_inches() {
    let catalog = r#"{"id":"G1","title":"MSI Gaming GeForce RTX 4070 12GB GDDR6X Graphics Card Ventus 2X","price":54999,"currency":"USD","language":"en","category":["Electronics","Graphics Cards"],"variants":[{"id":"G1-1","stock":4}]}
{"id":"G2","title":"ASUS Dual GeForce RTX 4060 OC Edition 8GB Graphics Card","price":30999,"currency":"USD","language":"en","category":["Electronics","Graphics Cards"],"variants":[{"id":"G2-1","stock":4}]}
"#;
    let (_dir, a) = assistant_over(catalog);
    // "4070 in stock" is no length of 4070 inches: the question names the model.
    let out = say(&a, None, "c1", "is the rtx 4070 in stock");
    assert_eq!(ids(&out), ["G1"], "{}", out.reply);
    assert!(out.reply.contains("is in stock"), "{}", out.reply);
}

#[test]
fn an_article_before_a_second_kind_counts_a_second_product() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // A "Charger to USB-C Cable" has both words; "a … and a charger" asks for two.
    let out = say(&a, None, "c1", "a usb c cable and a charger");
    let group = |g: usize| -> Vec<&str> {
        out.products
            .iter()
            .filter(|p| p.group == Some(g))
            .map(|p| p.id.as_str())
            .collect()
    };
    let (cables, chargers) = (group(0), group(1));
    assert!(!cables.is_empty() && !chargers.is_empty(), "{}", out.reply);
    assert!(
        cables.iter().all(|id| ["T106", "T107"].contains(id)),
        "{}",
        out.reply
    );
    assert!(chargers.contains(&"T084"), "{}", out.reply);
}

#[test]
fn a_second_product_the_shop_lacks_is_said_missing() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    // The shop has power banks but no toasters: the toaster is its own target, said
    // missing, and no word of it narrows the power banks.
    let out = say(&a, None, "c1", "a power bank and a toaster");
    assert_eq!(
        out.understanding.targets,
        ["power bank", "toaster"],
        "{}",
        out.reply
    );
    assert_eq!(ids(&out), ["PB1"], "{}", out.reply);
    assert!(out.reply.contains("“toaster”"), "{}", out.reply);
    // Without an article the words stay one request.
    let out = say(&a, None, "c2", "power bank toaster");
    assert!(out.understanding.targets.is_empty(), "{}", out.reply);
}

#[test]
fn a_cord_is_a_cable_and_a_prime_is_feet() {
    let (_dir, a) = assistant_over(
        r#"{"id":"R8","title":"8' FT RCA Cable 3 RCA Males Each End Composite Audio Video","price":1151,"currency":"USD","language":"en","category":["Electronics","RCA Cables"],"variants":[{"id":"R8-1","stock":3}]}
{"id":"R12","title":"yanw 12' 3-RCA Gold Plated Cord Male to Male Video Audio for PC TV CAM DVD VCR","price":1399,"currency":"USD","language":"en","category":["Electronics","RCA Cables"],"variants":[{"id":"R12-1","stock":3}]}
{"id":"GC","title":"Case for Samsung Galaxy A12 5G with Screen Protector","price":699,"currency":"USD","language":"en","category":["Electronics","Cases"],"variants":[{"id":"GC-1","stock":3}]}
"#,
    );
    // The 12' cord is the one longer than 10 feet; an article before the length
    // names no Galaxy A12.
    for text in ["rca cable longer than 10 feet", "a 12 foot rca cord"] {
        let out = say(&a, None, "c1", text);
        assert_eq!(ids(&out), ["R12"], "{text}: {}", out.reply);
    }
    let out = say(&a, None, "c1", "the longest rca cable");
    assert_eq!(ids(&out)[0], "R12", "{}", out.reply);
    let out = say(&a, None, "c1", "rca cables");
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["R12", "R8"], "{}", out.reply);
}

#[test]
fn a_comparison_of_a_kind_with_nothing_shown_finds_and_compares_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    let out = say(&a, None, "c1", "compare the two tvs");
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["TV1", "TV2"], "{}", out.reply);
    assert!(out.reply.contains("cheaper by"), "{}", out.reply);
    // The two cheapest of a kind, the count said after the superlative.
    let out = say(&a, None, "c2", "compare the cheapest two hdmi cables");
    assert_eq!(ids(&out), ["C01", "C30"], "{}", out.reply);
    assert!(out.reply.contains("cheaper by"), "{}", out.reply);
}

#[test]
fn a_price_order_said_as_an_order_lists_them_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    // All of them, in that order, and "order" is no order to place.
    let out = say(&a, None, "c1", "hdmi cables, order them by price");
    assert_eq!(ids(&out), ["C01", "C30", "C50"], "{}", out.reply);
    assert!(out.reply.contains("cheapest first"), "{}", out.reply);
    let out = say(
        &a,
        None,
        "c2",
        "hdmi cables sorted by price from high to low",
    );
    assert_eq!(ids(&out), ["C50", "C30", "C01"], "{}", out.reply);
    let out = say(&a, None, "c3", "hdmi kabel nach preis sortiert");
    assert_eq!(ids(&out), ["C01", "C30", "C50"], "{}", out.reply);
}

#[test]
fn what_a_missing_thing_is_for_bounds_the_nearest_offered() {
    let (_dir, a) = assistant_over(
        r#"{"id":"D1","title":"Rexona Invisible Pure Deodorant Stick 40ml","price":3300,"currency":"USD","language":"en","category":["Beauty","Deodorant"],"variants":[{"id":"D1-1","stock":3}]}
{"id":"M1","title":"Sturdy 72 inch Monopod Camera Stick with Quick Release","price":2795,"currency":"USD","language":"en","category":["Camera & Photo","Monopods"],"variants":[{"id":"M1-1","stock":3}]}
{"id":"S1","title":"Universal TV Stand Tabletop Base for 32 to 65 inch TVs","price":4299,"currency":"USD","language":"en","category":["Electronics","TV Stands"],"variants":[{"id":"S1-1","stock":3}]}
{"id":"W1","title":"Walking Stick Foldable Aluminium Cane","price":1999,"currency":"USD","language":"en","category":["Health","Canes"],"variants":[{"id":"W1-1","stock":3}]}
"#,
    );
    // No stick here is in a department that names TVs: none is offered as the
    // nearest to a TV stick.
    let out = say(&a, None, "c1", "a fire tv stick");
    assert!(ids(&out).is_empty(), "{}", out.reply);
    assert!(out.reply.contains("don't carry"), "{}", out.reply);
    // A stick of a kind the shop has is found as it is.
    let out = say(&a, None, "c2", "a walking stick");
    assert_eq!(ids(&out), ["W1"], "{}", out.reply);
}

#[test]
fn a_known_brand_the_shop_has_none_of_the_kind_by_is_said_missing() {
    let dir = tempfile::tempdir().unwrap();
    let a = tech_assistant(dir.path());
    // No Sony in the shop: the SSDs by others, said and marked so.
    let out = say(&a, None, "c1", "sony ssd");
    assert!(!out.products.is_empty(), "{}", out.reply);
    assert!(out.reply.contains("nothing by Sony"), "{}", out.reply);
    assert!(
        out.products.iter().all(|p| p.relaxed == ["brand"]),
        "{}",
        out.reply
    );
    // A brand the SSDs are by is no miss.
    let out = say(&a, None, "c2", "samsung ssd");
    assert!(!out.products.is_empty(), "{}", out.reply);
    assert!(
        out.products.iter().all(|p| p.relaxed.is_empty()),
        "{}",
        out.reply
    );
    assert!(!out.reply.contains("nothing by"), "{}", out.reply);
    // A brand after "for" is what the product is for, not its maker.
    let out = say(&a, None, "c3", "an ssd for my sony laptop");
    assert!(!out.products.is_empty(), "{}", out.reply);
    assert!(!out.reply.contains("nothing by"), "{}", out.reply);
    assert!(
        out.products.iter().all(|p| p.relaxed.is_empty()),
        "{}",
        out.reply
    );
}

#[test]
fn a_length_asked_for_is_the_version_put_in_the_cart() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    // The cable titled 50 feet also comes in 25: the 25 feet one was asked for.
    let out = say(&a, None, "c1", "put 2 hdmi cables of 25 feet in my cart");
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items.len(), 1, "{}", out.reply);
    assert_eq!(cart.items[0].item.variant_id, "C50-25", "{}", out.reply);
    assert_eq!(cart.items[0].item.quantity, 2, "{}", out.reply);
    // The longest cable is shown in its longest version, not its first.
    let out = say(&a, None, "c2", "which hdmi cable is the longest");
    assert_eq!(ids(&out), ["C50"], "{}", out.reply);
    assert_eq!(out.products[0].variant.size.as_deref(), Some("50 feet"));
    assert!(out.reply.contains("(50 feet)"), "{}", out.reply);
    // The shortest first: the cable sold in 25 and 50 feet is 25 feet short, and
    // shown so, before the 30 feet one.
    let out = say(&a, None, "c3", "hdmi cables, shortest first");
    assert_eq!(ids(&out), ["C01", "C50", "C30"], "{}", out.reply);
    assert_eq!(out.products[1].variant.size.as_deref(), Some("25 feet"));
}

#[test]
fn buying_what_a_message_names_puts_it_in_the_cart_and_proposes_the_order() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    let out = say(&a, None, "c1", "buy the cheapest hdmi cable");
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items.len(), 1, "{}", out.reply);
    assert_eq!(cart.items[0].item.product_id, "C01", "{}", out.reply);
    assert!(out.reply.contains("Shall I place it?"), "{}", out.reply);
    // Counted, and in the length asked for.
    let out = say(&a, None, "c2", "purchase 2 hdmi cables of 25 feet");
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items[0].item.variant_id, "C50-25", "{}", out.reply);
    assert_eq!(cart.items[0].item.quantity, 2, "{}", out.reply);
    // A wish for one of a kind is a search: nothing goes into the cart.
    let out = say(&a, None, "c3", "i want to buy a hdmi cable");
    assert!(!out.products.is_empty(), "{}", out.reply);
    assert!(
        out.cart.as_ref().is_none_or(|c| c.items.is_empty()),
        "{}",
        out.reply
    );
}

#[test]
fn the_cheaper_one_after_a_comparison_is_the_cheaper_of_the_two() {
    let dir = tempfile::tempdir().unwrap();
    let a = assistant(dir.path());
    // Three cables shown, the dearer two compared: "the cheaper one" is the cheaper
    // of those two, not the cheapest shown.
    let out = say(&a, None, "c1", "hdmi cables");
    assert_eq!(out.products.len(), 3, "{}", out.reply);
    let session = out.session_id.clone();
    let s = Some(session.as_str());
    let out = say(&a, s, "c1", "compare the qualgear and the navepoint");
    assert!(out.reply.contains("cheaper by"), "{}", out.reply);
    let out = say(&a, s, "c1", "which one is cheaper?");
    assert!(out.reply.contains("NavePoint"), "{}", out.reply);
    assert!(out.reply.contains("$10.80"), "{}", out.reply);
    let out = say(&a, s, "c1", "add the cheaper one to my cart");
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items[0].item.product_id, "C30", "{}", out.reply);
    // Two places said are the two compared.
    let out = say(&a, None, "c2", "hdmi cables");
    let prices: Vec<i64> = out.products.iter().map(|p| p.price).collect();
    let session = out.session_id.clone();
    let out = say(&a, Some(&session), "c2", "compare the first and the third");
    let by = (prices[0] - prices[2]).abs();
    let said = format!("cheaper by ${}.{:02}", by / 100, by % 100);
    assert!(out.reply.contains(&said), "{said}: {}", out.reply);
    // "which of these" picks among all shown, never among the whole shop.
    let out = say(&a, None, "c3", "hdmi cables");
    let cheapest = out.products.iter().min_by_key(|p| p.price).unwrap().clone();
    let session = out.session_id.clone();
    let out = say(&a, Some(&session), "c3", "which of these is cheapest");
    assert!(out.products.len() <= 1, "{}", out.reply);
    assert!(out.reply.contains(&cheapest.title), "{}", out.reply);
    let out = say(
        &a,
        Some(&session),
        "c3",
        "add the cheapest of them to my cart",
    );
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items[0].item.product_id, cheapest.id, "{}", out.reply);
}

#[test]
fn a_superlative_of_a_thing_the_shop_lacks_says_only_that_it_lacks_it() {
    let (_dir, a) = assistant_over(
        r#"{"id":"B1","title":"T54FJ Laptop Battery for Dell Latitude E6420 65Wh","price":2699,"currency":"USD","language":"en","category":["Electronics","Laptop Accessories","Batteries"],"variants":[{"id":"B1-1","stock":3}]}
{"id":"B2","title":"Laptop Battery Compatible with HP 807956-001","price":2299,"currency":"USD","language":"en","category":["Electronics","Laptop Accessories","Batteries"],"variants":[{"id":"B2-1","stock":3}]}
{"id":"S1","title":"Adjustable Laptop Stand Aluminium","price":2999,"currency":"USD","language":"en","category":["Electronics","Laptop Accessories","Stands"],"variants":[{"id":"S1-1","stock":3}]}
"#,
    );
    let out = say(&a, None, "c1", "i want the lightest laptop you have");
    assert!(out.reply.contains("don't carry"), "{}", out.reply);
    assert!(!out.reply.contains("can't tell"), "{}", out.reply);
}

/// A seventh catalogue (cameras, lenses, cards, cables, printers…), written with its
/// requests before the code ran on them, showed what the rules had not met: "lens"
/// made singular as "len" (no kind, so the camera sold with a lens was the answer to a
/// lens for it), a "Signature Edition" whose kind was "signature" and whose colour was
/// beige, a brand taken for a kind the shop lacks, network cable categories unread, a
/// product named by brand and line not found to put in the cart, and a band that
/// leads its title taken for no kind because routers are "Dual Band".
#[test]
fn a_seventh_catalogue_is_read_as_its_shoppers_ask() {
    let dir = tempfile::tempdir().unwrap();
    let a = catalogue_assistant(dir.path(), "photo");
    let out = say(&a, None, "f1", "a lens for the canon r50");
    assert_eq!(ids(&out), ["P009"], "{}", out.reply);
    let out = say(&a, None, "f2", "kindle paperwhite");
    let found = sorted(&out);
    assert_eq!(found, ["P061", "P062"], "{}", out.reply);
    assert!(!out.reply.contains("beige"), "{}", out.reply);
    let out = say(&a, None, "f3", "fujifilm xt5");
    assert_eq!(ids(&out), ["P006"], "{}", out.reply);
    assert!(out.products[0].relaxed.is_empty(), "{}", out.reply);
    assert!(!out.reply.contains("carry"), "{}", out.reply);
    let out = say(&a, None, "f4", "add the cheapest cat 6 cable to my cart");
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items.len(), 1, "{}", out.reply);
    assert_eq!(cart.items[0].item.product_id, "P045", "{}", out.reply);
    let text = "add the sandisk 128gb extreme pro to my cart and go to checkout";
    let out = say(&a, None, "f5", text);
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items.len(), 1, "{}", out.reply);
    assert_eq!(cart.items[0].item.product_id, "P012", "{}", out.reply);
    assert!(out.actions.iter().any(|x| x["type"] == "checkout.proposed"));
    assert!(!out.actions.iter().any(|x| x["type"] == "order.placed"));
    let out = say(&a, None, "f6", "a band for apple watch 41mm");
    assert_eq!(ids(&out), ["P069"], "{}", out.reply);
    assert!(out.products[0].relaxed.is_empty(), "{}", out.reply);

    // A sensor's DPI and a printer's pages a minute are specs to sort and filter by.
    let out = say(&a, None, "f7", "welche maus hat die höchste dpi");
    assert_eq!(ids(&out), ["P056"], "{}", out.reply);
    let out = say(&a, None, "f8", "a printer faster than 30 pages per minute");
    let found = sorted(&out);
    assert_eq!(found, ["P072", "P073"], "{}", out.reply);

    // A model written as its line's initials and number: "QuietComfort 45".
    let out = say(&a, None, "f9", "do you have the bose qc45");
    assert_eq!(ids(&out), ["P024"], "{}", out.reply);
    // A verb after a kind is no kind the shop lacks; a drone flies as long as it runs.
    let out = say(&a, None, "f10", "which drone flies the longest");
    assert_eq!(ids(&out), ["P036"], "{}", out.reply);
    let out = say(
        &a,
        None,
        "f11",
        "drone with more than 30 minutes of flight time",
    );
    let found = sorted(&out);
    assert_eq!(found, ["P034", "P035", "P036"], "{}", out.reply);

    // A comparison of two products named by brand and line words, no model number.
    let out = say(
        &a,
        None,
        "f12",
        "compare the bose qc45 and the sony wh-1000xm4",
    );
    assert_eq!(ids(&out), ["P024", "P023"], "{}", out.reply);
    assert!(out.reply.contains("cheaper by $0.99"), "{}", out.reply);
    // What a hub has, listed after "with", is one request, not a hub and a card.
    let out = say(&a, None, "f13", "hub with hdmi and sd card reader");
    assert!(
        out.products.iter().all(|p| p.group.is_none()),
        "{}",
        out.reply
    );
    assert!(
        out.products.iter().all(|p| p.title.contains("Hub")),
        "{}",
        out.reply
    );

    let report = rules_only_report("photo");
    assert!(report.f1 >= 0.9, "{report}");
}

/// An eighth hand-written catalogue (electro_catalog.jsonl: laptops, tablets, phones,
/// monitors, TVs, smart home, kitchen, personal care, consoles), its requests written
/// before the code ran on them. Each assertion failed on the first run.
#[test]
fn an_eighth_catalogue_is_read_as_its_shoppers_ask() {
    let dir = tempfile::tempdir().unwrap();
    let a = catalogue_assistant(dir.path(), "electro");
    // "Soundbar" and "Sound Bar" on a "Sound Bars" shelf are one kind the shop has.
    let out = say(&a, None, "e1", "soundbar");
    assert_eq!(sorted(&out), ["E032", "E033"], "{}", out.reply);
    assert!(!out.reply.contains("carry"), "{}", out.reply);
    // A German word listed as it is said is translated, though its base ("beam")
    // names a Sonos Beam.
    let out = say(&a, None, "e2", "haben sie einen beamer");
    assert_eq!(sorted(&out), ["E034", "E035"], "{}", out.reply);
    // A line's closing letter names it: the Series X is not the Series S.
    let out = say(&a, None, "e3", "xbox series x");
    assert_eq!(ids(&out), ["E065"], "{}", out.reply);
    let out = say(&a, None, "e4", "leg die xbox series s in den warenkorb");
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items.len(), 1, "{}", out.reply);
    assert_eq!(cart.items[0].item.product_id, "E064", "{}", out.reply);
    let out = say(&a, None, "e5", "xbox series s and a controller for it");
    assert!(ids(&out).contains(&"E064"), "{}", out.reply);
    // A bare case after a phone is a case for that phone.
    let out = say(&a, None, "e6", "galaxy s24 and a case");
    assert_eq!(sorted(&out), ["E016", "E017", "E021"], "{}", out.reply);
    // RAM is the memory a laptop states, not its SSD.
    let out = say(&a, None, "e7", "laptop with at least 16gb ram");
    assert_eq!(
        sorted(&out),
        ["E002", "E003", "E006", "E007", "E008"],
        "{}",
        out.reply
    );
    // Milliamp hours said in German words.
    let text = "ein handy mit mindestens fünftausend milliamperestunden akku";
    let out = say(&a, None, "e8", text);
    assert_eq!(ids(&out), ["E019"], "{}", out.reply);
    // The measure a superlative sorts by is no thing asked for.
    let out = say(&a, None, "e9", "which phone has the biggest battery");
    assert_eq!(ids(&out), ["E019"], "{}", out.reply);
    // A soundbar named by its line ("Sonos Beam") is a soundbar, not a beam.
    let out = say(&a, None, "e10", "a cheaper alternative to the sonos beam");
    assert_eq!(ids(&out), ["E033"], "{}", out.reply);
}

/// A ninth hand-written catalogue (office_catalog.jsonl: networking, printers and
/// their supplies, shredders, webcams, keyboards, mice, hubs, power protection, NAS),
/// its requests written before the code ran on them. Each assertion failed on the
/// first run.
#[test]
fn a_ninth_catalogue_is_read_as_its_shoppers_ask() {
    let dir = tempfile::tempdir().unwrap();
    let a = catalogue_assistant(dir.path(), "office");
    // Ports, outlets, sheets and joules are specs to filter and sort by.
    let out = say(&a, None, "o1", "switch with at least 16 ports");
    assert_eq!(sorted(&out), ["N014", "N015"], "{}", out.reply);
    let out = say(&a, None, "o2", "switch with the most ports");
    assert_eq!(ids(&out), ["N015"], "{}", out.reply);
    let out = say(&a, None, "o3", "shredder with at least 12 sheets");
    assert_eq!(sorted(&out), ["N043", "N044"], "{}", out.reply);
    let out = say(&a, None, "o4", "surge protector with at least 2000 joules");
    assert_eq!(ids(&out), ["N061"], "{}", out.reply);
    // A superlative sorts by what the products differ in: terabytes, not the
    // 3.5 inches every drive has.
    let out = say(&a, None, "o5", "largest nas hard drive");
    assert_eq!(ids(&out), ["N065"], "{}", out.reply);
    // Supplies for a model fit its series where nothing names the model itself.
    let out = say(&a, None, "o6", "toner for the hp laserjet pro m404n");
    assert_eq!(ids(&out), ["N032"], "{}", out.reply);
    let out = say(&a, None, "o7", "ink cartridges for hp officejet pro 9015e");
    assert_eq!(sorted(&out), ["N035", "N036"], "{}", out.reply);
    // German supplies, and a spoken model.
    let out = say(&a, None, "o8", "tinte für den epson et-2800");
    assert_eq!(ids(&out), ["N038"], "{}", out.reply);
    let out = say(&a, None, "o9", "show me the deco x twenty");
    assert_eq!(ids(&out), ["N005"], "{}", out.reply);
    // Dimensions the titles state are found, not "nothing in 8.5x11", and no
    // model the shop lacks.
    for (session, text) in [("o10", "8.5x11 copy paper"), ("o11", "8.5 x 11 paper")] {
        let out = say(&a, None, session, text);
        assert_eq!(
            sorted(&out),
            ["N039", "N040", "N041"],
            "{text}: {}",
            out.reply
        );
        assert!(
            out.products.iter().all(|p| p.relaxed.is_empty()),
            "{}",
            out.reply
        );
    }

    let report = rules_only_report("office");
    assert!(report.f1 >= 0.95, "{report}");
}

/// A tenth hand-written catalogue (sound_catalog.jsonl: car audio and electronics,
/// home and studio audio, smart lighting, batteries), its requests written before
/// the code ran on them. Each assertion failed on the first run.
#[test]
fn a_tenth_catalogue_is_read_as_its_shoppers_ask() {
    let dir = tempfile::tempdir().unwrap();
    let a = catalogue_assistant(dir.path(), "sound");
    // A model with a hyphen and a number is no size and no length.
    let out = say(&a, None, "s1", "rockford fosgate r2-500x1");
    assert_eq!(ids(&out), ["C015"], "{}", out.reply);
    let out = say(
        &a,
        None,
        "s2",
        "audio-technica at-lp120xusb and klipsch r-51m",
    );
    assert_eq!(sorted(&out), ["C035", "C041"], "{}", out.reply);
    // The shelf names what no title does.
    let out = say(&a, None, "s3", "car stereo");
    assert_eq!(
        sorted(&out),
        ["C001", "C002", "C003", "C004", "C005"],
        "{}",
        out.reply
    );
    // Channels, gauge and pack counts are specs.
    let out = say(&a, None, "s4", "av receiver with 7.2 channels");
    assert_eq!(ids(&out), ["C032"], "{}", out.reply);
    let out = say(&a, None, "s5", "speaker wire 12 gauge");
    assert_eq!(ids(&out), ["C045"], "{}", out.reply);
    let out = say(&a, None, "s6", "aa batteries 48 pack");
    assert_eq!(ids(&out), ["C068"], "{}", out.reply);
    // What the shop calls "LED Strip Lights" is carried.
    let out = say(&a, None, "s7", "longest led strip");
    assert_eq!(ids(&out).first(), Some(&"C060"), "{}", out.reply);
    // What fits a model nothing names: the kind asked, not "nothing by the maker".
    let out = say(&a, None, "s8", "xlr cable for the scarlett 2i2");
    assert_eq!(sorted(&out), ["C049", "C050"], "{}", out.reply);
    // What titles say is made for a named model, not the model itself.
    let out = say(&a, None, "s9", "replacement needle for the at-lp60x");
    assert_eq!(ids(&out), ["C043"], "{}", out.reply);
    // A line's "Plus" before its size is its name.
    let out = say(&a, None, "s10", "extension for the philips hue lightstrip");
    assert_eq!(ids(&out), ["C062"], "{}", out.reply);
    // A later target named as one model, or after "the", is a product of its own.
    let out = say(
        &a,
        None,
        "s11",
        "eneloop aa batteries and the bq-cc55 charger",
    );
    assert_eq!(sorted(&out), ["C070", "C072"], "{}", out.reply);
    let out = say(
        &a,
        None,
        "s12",
        "add the philips hue bridge and the hue lightstrip plus 2m to my cart",
    );
    assert!(
        out.reply.contains("Philips Hue Bridge is in your cart")
            && out
                .reply
                .contains("Lightstrip Plus 2m Base Kit is in your cart"),
        "{}",
        out.reply
    );
    // German: a compound the lexicon knows, a dative unit.
    let out = say(
        &a,
        None,
        "s13",
        "lautsprecherkabel mit mindestens 50 metern",
    );
    assert_eq!(ids(&out), ["C046"], "{}", out.reply);
    let out = say(&a, None, "s14", "teuerster autolautsprecher");
    assert_eq!(ids(&out).first(), Some(&"C009"), "{}", out.reply);
    // The shelf's word is the shop's, in German and by a synonym; a record player
    // is a turntable.
    let out = say(
        &a,
        None,
        "s16",
        "ich brauche ein autoradio mit apple carplay",
    );
    assert_eq!(sorted(&out), ["C001", "C002", "C003"], "{}", out.reply);
    let out = say(&a, None, "s17", "car radio");
    assert_eq!(
        sorted(&out),
        ["C001", "C002", "C003", "C004", "C005"],
        "{}",
        out.reply
    );
    let out = say(&a, None, "s18", "do you have a record player");
    assert_eq!(sorted(&out), ["C040", "C041", "C042"], "{}", out.reply);
    // A cheaper one of its sort sits on its shelf, though its title names it
    // otherwise ("… Car GPS Navigation" beside the "… GPS Navigator").
    let out = say(
        &a,
        None,
        "s15",
        "a cheaper alternative to the garmin drivesmart 66",
    );
    assert_eq!(ids(&out), ["C030"], "{}", out.reply);
    // A limit that blocks every product the words describe is relaxed, said as
    // such: a wired charger whose text mentions "wireless earbuds" is no wireless
    // charger.
    // Dimensions a title states with inch marks, typed or said.
    for (session, text) in [("s20", "6x9 speakers"), ("s21", "six by nine car speakers")] {
        let out = say(&a, None, session, text);
        assert_eq!(ids(&out), ["C009"], "{text}: {}", out.reply);
    }
    let out = say(&a, None, "s19", "a wireless car charger under 30 dollars");
    assert_eq!(ids(&out), ["C022"], "{}", out.reply);
    assert_eq!(out.products[0].relaxed, ["price"], "{}", out.reply);

    let report = rules_only_report("sound");
    assert!(report.f1 >= 0.93, "{report}");
}

/// A catalogue without brand fields (as WebShop's) names the maker at the head of
/// a title: a request naming a brand shows what leads with it first, and a lens for
/// a Canon camera is a Canon lens, not a Nikon one.
#[test]
fn a_maker_at_the_head_of_a_title_stands_in_for_a_missing_brand_field() {
    let (_dir, a) = assistant_over(
        r#"{"id":"F1","title":"New Compatible for Sony Playstation 4 PS4 Pro Cooling Fan Sony","price":1999,"currency":"USD","language":"en","category":["Electronics","Fans"],"variants":[{"id":"F1-1","stock":5}]}
{"id":"S1","title":"Sony Extra Bass Portable Bluetooth Speaker Black","price":10849,"currency":"USD","language":"en","category":["Electronics","Speakers"],"variants":[{"id":"S1-1","stock":5}]}
{"id":"K1","title":"Canon EOS Rebel T7i DSLR Camera with 18-55mm Lens (US Model)","price":64900,"currency":"USD","language":"en","category":["Electronics","Cameras"],"variants":[{"id":"K1-1","stock":5}]}
{"id":"L1","title":"Nikon 50mm f/1.8G AF-S NIKKOR Lens for Nikon DSLR Cameras","price":21695,"currency":"USD","language":"en","category":["Electronics","Lenses"],"variants":[{"id":"L1-1","stock":5}]}
{"id":"L2","title":"Canon EF 40mm f/2.8 STM Lens","price":32599,"currency":"USD","language":"en","category":["Electronics","Lenses"],"variants":[{"id":"L2-1","stock":5}]}
"#,
    );
    let out = say(&a, None, "c1", "do you have anything from sony");
    assert_eq!(ids(&out).first(), Some(&"S1"), "{}", out.reply);
    assert!(ids(&out).contains(&"F1"), "{}", out.reply);
    let out = say(&a, None, "c2", "a lens for my canon eos rebel t7i");
    assert_eq!(ids(&out), ["L2"], "{}", out.reply);
}

#[test]
fn fits_says_what_for_says_and_the_cheapest_thing_for_a_model_is_in_price_order() {
    let (_dir, a) = assistant_over(
        r#"{"id":"H1","title":"4K HDMI Cable 1ft, High-Speed HDMI 2.0, for Playstation PS5, Xbox, Roku","price":1549,"currency":"USD","language":"en","category":["Electronics","Cables"],"variants":[{"id":"H1-1","stock":5}]}
{"id":"F1","title":"Cooling Fan Stand for PS5 Console with 3 Fans","price":2599,"currency":"USD","language":"en","category":["Electronics","Fans"],"variants":[{"id":"F1-1","stock":5}]}
{"id":"A1","title":"2Pack Airpods Pro Case, Silicone Cover with Keychain for Kids Teens(PS5 Game Controller+Helmet)","price":1199,"currency":"USD","language":"en","category":["Electronics","Cases"],"variants":[{"id":"A1-1","stock":5}]}
{"id":"G1","title":"Charging Station for PS5 Controller, Dual Charger Dock","price":1999,"currency":"USD","language":"en","category":["Electronics","Chargers"],"variants":[{"id":"G1-1","stock":5}]}
{"id":"T1","title":"Universal TV Stand Tabletop TV Stand for 32 to 65 inch Flat Screen TV","price":4299,"currency":"USD","language":"en","category":["Electronics","TV Stands"],"variants":[{"id":"T1-1","stock":5}]}
{"id":"T2","title":"Universal TV Stand with Wall Mount for 40 to 86 inch TVs, Height Adjustable","price":7395,"currency":"USD","language":"en","category":["Electronics","TV Stands"],"variants":[{"id":"T2-1","stock":5}]}
{"id":"M1","title":"Deluxe Triple Monitor Mount Stand Free Standing with Grommet Mount Option","price":10000,"currency":"USD","language":"en","category":["Electronics","Monitor Accessories"],"variants":[{"id":"M1-1","stock":5}]}
"#,
    );
    // Nothing of a kind is asked for, only what it is for: in price order, and the
    // plan says so. A case whose brackets show a PS5 controller is for none.
    let out = say(
        &a,
        None,
        "c1",
        "what is the cheapest thing you have for a ps5",
    );
    assert_eq!(ids(&out), ["H1"], "{}", out.reply);
    assert!(out.reply.contains("cheapest first"), "{}", out.reply);
    let plan = serde_json::to_value(&out.understanding.plan).unwrap();
    assert_eq!(plan["targets"][0]["order"]["by"], "price", "{plan}");
    let out = say(&a, None, "c2", "the most expensive thing for a ps5");
    assert_eq!(ids(&out), ["F1"], "{}", out.reply);
    // "that fits" is "for": no word of the products'.
    let out = say(&a, None, "c3", "which tv stand fits the biggest tv");
    assert_eq!(ids(&out).first(), Some(&"T2"), "{}", out.reply);
    assert_eq!(
        out.understanding.product_type.as_deref(),
        Some("tv stand biggest tv")
    );
    // A stand "Free Standing" is a stand.
    let out = say(&a, None, "c4", "monitor stand");
    assert_eq!(ids(&out), ["M1"], "{}", out.reply);
    // A count put in the cart after a search: two of what it found, said as two.
    let out = say(
        &a,
        None,
        "c5",
        "find the cheapest hdmi cable and put two in my cart",
    );
    let cart = out.cart.as_ref().expect("a cart");
    let lines: Vec<(&str, u32)> = cart
        .items
        .iter()
        .map(|l| (l.item.product_id.as_str(), l.item.quantity))
        .collect();
    assert_eq!(lines, [("H1", 2)], "{}", out.reply);
    assert!(out.reply.contains("2 × "), "{}", out.reply);
}

#[test]
fn a_length_no_product_has_shows_the_nearest_of_all_that_match() {
    let mut rows = String::new();
    for (i, ft) in [1, 2, 3, 4, 5, 6].iter().enumerate() {
        rows.push_str(&format!(
            r#"{{"id":"S{i}","title":"HDMI Cable {ft}ft, HDMI to HDMI Cable","price":{},"currency":"USD","language":"en","category":["Electronics","HDMI Cables"],"variants":[{{"id":"S{i}-1","stock":5}}]}}
"#,
            799 + i
        ));
    }
    rows.push_str(r#"{"id":"N1","title":"NavePoint HDMI 1.4 Male to Male Cable Black 30 Ft Woven Black Blue for Home Theater Projectors and Receivers","price":1080,"currency":"USD","language":"en","category":["Electronics","HDMI Cables"],"variants":[{"id":"N1-1","stock":5}]}
"#);
    let (_dir, a) = assistant_over(&rows);
    // Nothing is 10 m: the 30 ft cable is nearest, though six shorter titles say
    // "hdmi cable" more often.
    let out = say(&a, None, "c1", "i need a 10 meter hdmi cable");
    assert_eq!(ids(&out).first(), Some(&"N1"), "{}", out.reply);
    assert!(
        out.products.iter().all(|p| !p.relaxed.is_empty()),
        "{}",
        out.reply
    );
    assert!(out.products.len() <= 5, "{}", out.reply);
}

#[test]
fn a_later_product_named_by_its_maker_is_another_product() {
    let (_dir, a) = assistant_over(
        r#"{"id":"J5","title":"JBL Charge 5 Portable Waterproof Wireless Bluetooth Speaker Bundle with Hardshell Case","price":17999,"currency":"USD","language":"en","category":["Electronics","Speakers"],"variants":[{"id":"J5-1","stock":5}]}
{"id":"S1","title":"Sony Extra Bass Portable Bluetooth Speaker Black - SRS-XB33/BC (Renewed)","price":10849,"currency":"USD","language":"en","category":["Electronics","Speakers"],"variants":[{"id":"S1-1","stock":5}]}
{"id":"D1","title":"80W Bluetooth Speaker, Desong Portable Wireless Speaker","price":9999,"currency":"USD","language":"en","category":["Electronics","Speakers"],"variants":[{"id":"D1-1","stock":5}]}
"#,
    );
    // The JBL's title has "speaker", but "the sony speaker" is a second product.
    let out = say(
        &a,
        None,
        "c1",
        "put the jbl charge 5 and the sony speaker in my cart",
    );
    assert_eq!(groups_of(&out), [vec!["J5"], vec!["S1"]], "{}", out.reply);
    let cart = out.cart.as_ref().expect("a cart");
    let mut in_cart: Vec<&str> = cart
        .items
        .iter()
        .map(|l| l.item.product_id.as_str())
        .collect();
    in_cart.sort();
    assert_eq!(in_cart, ["J5", "S1"], "{}", out.reply);
    // Which of two named is cheaper compares them, in either language.
    for (customer, text) in [
        (
            "c2",
            "which is cheaper, the sony speaker or the jbl charge 5",
        ),
        (
            "c3",
            "welcher ist günstiger, der sony lautsprecher oder die jbl charge 5",
        ),
    ] {
        let out = say(&a, None, customer, text);
        assert_eq!(ids(&out), ["S1", "J5"], "{}", out.reply);
        assert!(
            out.reply.contains("71,50") || out.reply.contains("71.50"),
            "{}",
            out.reply
        );
    }
}

/// One JSONL row of an English electronics catalogue: a product with one version
/// in stock, on the shelf `shelf`.
fn electronics_row(id: &str, title: &str, shelf: &str, price: u32) -> String {
    format!(
        r#"{{"id":"{id}","title":"{title}","price":{price},"currency":"USD","language":"en","category":["Electronics","{shelf}"],"variants":[{{"id":"{id}-1","stock":5}}]}}
"#
    )
}

#[test]
fn accessories_named_after_a_model_and_models_no_title_has_are_read_as_said() {
    let rows = [
        electronics_row(
            "C1",
            "Mac Bean Case for Samsung Galaxy A12 5G Case with Tempered Glass Screen Protector",
            "Cases",
            699,
        ),
        electronics_row(
            "P1",
            "2 Pack Screen Protector for Samsung Galaxy A12 5G Tempered Glass, Case Friendly",
            "Screen Protectors",
            650,
        ),
        electronics_row(
            "W7",
            "Case for Apple Watch Series 7 45mm, Hard PC Bumper",
            "Cases",
            1299,
        ),
        electronics_row(
            "PS1",
            "Mean Well NDR-480-24 480W 24VDC DIN Rail Power Supply",
            "Power Supplies",
            10800,
        ),
        electronics_row(
            "PF",
            "27pcs Checkered Flag Cupcake Toppers, Race Car Party Supplies",
            "Party Supplies",
            949,
        ),
        electronics_row(
            "PV",
            "Hair Growth Vitamins, Biotin Supplement Capsules, 90 Day Supply",
            "Vitamins",
            2999,
        ),
        electronics_row(
            "T1",
            "Tablet PC 8GB, 7 inch Android, Dual SIM",
            "Tablets",
            10000,
        ),
        electronics_row(
            "T2",
            "Android Tablet, 7Inch Tablet PC 1GB + 8GB Dual Camera WiFi",
            "Tablets",
            8999,
        ),
        electronics_row(
            "T3",
            "Samsung Galaxy Tab A 8 inch Tablet 32GB",
            "Tablets",
            14999,
        ),
        electronics_row(
            "XS",
            "XTRONS 7 Inch Touch Screen Car Stereo",
            "Car Stereos",
            25999,
        ),
        electronics_row(
            "ME",
            "Moto Edge 2021 Case with HD Screen Protectors, Military-Grade Bumper",
            "Cases",
            995,
        ),
        electronics_row(
            "SC",
            "Projector Screen 100 inch, Foldable Portable Screen",
            "Projector Screens",
            2599,
        ),
        electronics_row(
            "DB",
            "Wooden Daybed Frame Twin Size, Full Wooden Slats Support",
            "Bed Frames",
            21999,
        ),
        electronics_row(
            "PB",
            "Queen Size Platform Bed, Metal Bed Frame with Headboard",
            "Bed Frames",
            18999,
        ),
    ]
    .concat();
    let (_dir, a) = assistant_over(&rows);
    // The model an accessory is named after holds for the accessories after it,
    // though one title bundles a case and a screen protector.
    let out = say(&a, None, "c1", "galaxy a12 case and screen protector");
    assert_eq!(groups_of(&out), [vec!["C1"], vec!["P1"]], "{}", out.reply);
    // "galaxy s7" is a model no title has (not the watch's "Series 7"): no case
    // for it is claimed, and the shopper's own words say what is missing.
    let out = say(&a, None, "c2", "case for galaxy s7");
    assert!(
        out.products.iter().all(|p| !p.relaxed.is_empty()),
        "{}",
        out.reply
    );
    assert!(out.reply.contains("galaxy s7"), "{}", out.reply);
    let out = say(&a, None, "c3", "hülle für galaxy s7");
    assert!(
        out.products.iter().all(|p| !p.relaxed.is_empty()),
        "{}",
        out.reply
    );
    assert!(out.reply.contains("hülle für galaxy s7"), "{}", out.reply);
    // A number with its unit after "and" goes on with what the tablet has.
    let out = say(&a, None, "c4", "tablet with 8gb and 7 inch screen");
    assert!(
        out.products.iter().all(|p| p.group.is_none()),
        "{}",
        out.reply
    );
    let found = sorted(&out);
    assert_eq!(found, ["T1", "T2"], "{}", out.reply);
    // "which one is cheaper" after a list of three: the cheapest of those shown.
    let out = say(&a, None, "c5", "show me tablets");
    assert_eq!(out.products.len(), 3, "{}", out.reply);
    let out = say(&a, Some(&out.session_id), "c5", "which one is cheaper");
    assert!(
        out.reply.starts_with("Android Tablet") && out.reply.contains("89.99"),
        "{}",
        out.reply
    );
    // A spec no power supply has: the power supplies, not party supplies or vitamins.
    let out = say(&a, None, "c6", "90w power supply");
    assert_eq!(ids(&out), ["PS1"], "{}", out.reply);
    // A bed size in a title is the size of a product sold in no other; its word
    // in a request is no kind.
    let out = say(&a, None, "c7", "daybed twin size");
    assert_eq!(ids(&out), ["DB"], "{}", out.reply);
    assert!(out.products[0].relaxed.is_empty(), "{}", out.reply);
    let out = say(&a, None, "c8", "bed frame in queen size");
    assert_eq!(ids(&out), ["PB"], "{}", out.reply);
}

#[test]
fn a_question_about_a_product_named_by_its_maker_and_kind_is_answered_about_it() {
    let rows = [
        electronics_row(
            "BP",
            "Baseus Magnetic Power Bank, 10,000mAh MagSafe Wireless Portable Charger",
            "Power Banks",
            3999,
        ),
        electronics_row(
            "AP",
            "Anker Power Bank 20000mAh, Portable Charger with USB-C",
            "Power Banks",
            4599,
        ),
        electronics_row(
            "WC",
            "Anker 313 Wireless Charger Pad, Qi-Certified Wireless Charging",
            "Chargers",
            1599,
        ),
        electronics_row(
            "JB",
            "JBL Charge 5 Portable Waterproof Wireless Bluetooth Speaker",
            "Speakers",
            17999,
        ),
        electronics_row(
            "SP",
            "Desong 80W Portable Wireless Bluetooth Speaker",
            "Speakers",
            9999,
        ),
        electronics_row("TL", "Leupold Tripod, Carbon Fiber Kit", "Tripods", 34999),
        electronics_row(
            "TB",
            "Benro A2573F Aluminium Tripod with S6PRO Video Head",
            "Tripods",
            31495,
        ),
        electronics_row(
            "SC",
            "Pearl Scrub Made with Organic Ingredients, 170ml",
            "Scrubs",
            4800,
        ),
    ]
    .concat();
    let (_dir, a) = assistant_over(&rows);
    // A maker and a kind after "the" name one product: the question is about it,
    // not a search for everything wireless.
    let out = say(
        &a,
        None,
        "c1",
        "does the baseus power bank have wireless charging",
    );
    assert_eq!(ids(&out), ["BP"], "{}", out.reply);
    let out = say(&a, None, "c2", "ist der jbl lautsprecher wasserdicht");
    assert_eq!(ids(&out), ["JB"], "{}", out.reply);
    assert!(out.reply.contains("Ja"), "{}", out.reply);
    // What a product is made of is no kind: the tripods, not the scrub "Made
    // with" organic ingredients.
    let out = say(&a, None, "c3", "i want a tripod made of carbon fiber");
    assert_eq!(ids(&out).first(), Some(&"TL"), "{}", out.reply);
    assert!(!ids(&out).contains(&"SC"), "{}", out.reply);
}

/// A catalogue row with a maker, a category path and a description.
fn described_row(
    id: &str,
    title: &str,
    brand: &str,
    category: &[&str],
    price: u32,
    description: &str,
) -> String {
    let row = serde_json::json!({
        "id": id, "title": title, "brand": brand, "category": category,
        "price": price, "currency": "USD", "language": "en", "description": description,
        "variants": [{"id": format!("{id}-1"), "stock": 5}],
    });
    format!("{row}\n")
}

#[test]
fn tools_and_their_parts_are_found_by_the_code_after_the_name_and_by_what_they_fit() {
    let tools = ["Tools & Home Improvement", "Power Tools", "Drills"];
    let packs = [
        "Tools & Home Improvement",
        "Power Tools",
        "Batteries & Chargers",
    ];
    let saws = ["Tools & Home Improvement", "Power Tools", "Circular Saws"];
    let blades = ["Tools & Home Improvement", "Power Tools", "Saw Blades"];
    let vacuums = ["Home & Kitchen", "Vacuums", "Robot Vacuums"];
    let parts = ["Home & Kitchen", "Vacuums", "Vacuum Parts"];
    let rows = [
        described_row(
            "D1",
            "DEWALT 20V MAX Cordless Drill/Driver Kit DCD771C2, 1/2 inch, 2 Batteries and Charger",
            "DEWALT",
            &tools,
            9900,
            "Two 1.3Ah batteries.",
        ),
        described_row(
            "D2",
            "DEWALT DCD771C2 20V MAX Cordless Drill Kit (Renewed)",
            "DEWALT",
            &tools,
            7499,
            "Renewed.",
        ),
        described_row(
            "D3",
            "Makita XFD131 18V LXT Cordless Driver-Drill Kit",
            "Makita",
            &tools,
            16900,
            "One 3.0Ah battery.",
        ),
        described_row(
            "B1",
            "DEWALT 20V MAX 5.0Ah Lithium Ion Battery DCB205",
            "DEWALT",
            &packs,
            8900,
            "Fits all DEWALT 20V MAX tools.",
        ),
        described_row(
            "B2",
            "Makita BL1830B 18V LXT 3.0Ah Lithium-Ion Battery",
            "Makita",
            &packs,
            6900,
            "Fits all Makita 18V LXT tools.",
        ),
        described_row(
            "C1",
            "DEWALT 20V MAX Battery Charger DCB112",
            "DEWALT",
            &packs,
            3900,
            "Charges all DEWALT 20V MAX batteries.",
        ),
        described_row(
            "S1",
            "SKIL 15 Amp 7-1/4 Inch Corded Circular Saw 5280-01",
            "SKIL",
            &saws,
            5999,
            "5,300 rpm.",
        ),
        described_row(
            "S2",
            "DEWALT 7-1/4 inch Circular Saw Blade, 24 Tooth, 2-Pack",
            "DEWALT",
            &blades,
            1499,
            "Fits 7-1/4 inch circular saws.",
        ),
        described_row(
            "V1",
            "iRobot Roomba 694 Robot Vacuum, Wi-Fi Connected",
            "iRobot",
            &vacuums,
            27499,
            "Runs up to 90 minutes.",
        ),
        described_row(
            "V2",
            "Roborock Q5 Robot Vacuum, 2700 Pa Suction, 180 min Runtime",
            "Roborock",
            &vacuums,
            29999,
            "LiDAR navigation.",
        ),
        described_row(
            "V3",
            "eufy RoboVac 11S Slim Robot Vacuum, 1300 Pa Suction",
            "eufy",
            &vacuums,
            14999,
            "Runs up to 100 minutes.",
        ),
        described_row(
            "F1",
            "Replacement Filter for iRobot Roomba 600 Series, 10-Pack",
            "Generic",
            &parts,
            1599,
            "Fits Roomba 614, 650, 675, 690 and 694.",
        ),
    ]
    .concat();
    let (_dir, a) = assistant_over(&rows);
    // A model code closing the title's name is that listing's model, as one that
    // opens it: both listings of the DCD771C2.
    let out = say(&a, None, "t1", "dewalt dcd771c2");
    assert_eq!(sorted(&out), ["D1", "D2"], "{}", out.reply);
    // A "Battery Charger" on "Batteries & Chargers" is no battery.
    let out = say(&a, None, "t2", "battery for my dewalt dcd771c2");
    assert_eq!(ids(&out), ["B1"], "{}", out.reply);
    // A model a part's description lists after its line's name is one it fits.
    let out = say(&a, None, "t3", "filter for roomba 694");
    assert_eq!(ids(&out), ["F1"], "{}", out.reply);
    assert!(out.products[0].relaxed.is_empty(), "{}", out.reply);
    // A maker named after "for" is the saw's: any blade of the kind fits, shown as
    // found, not as another brand's.
    let out = say(&a, None, "t4", "blade for my skil circular saw");
    assert_eq!(ids(&out), ["S2"], "{}", out.reply);
    assert!(out.products[0].relaxed.is_empty(), "{}", out.reply);
    // Suction in pascals is a spec.
    let out = say(&a, None, "t5", "robot vacuum with at least 2000 pa");
    assert_eq!(ids(&out), ["V2"], "{}", out.reply);
    assert!(out.products[0].relaxed.is_empty(), "{}", out.reply);

    // The whole eleventh hand-written set (kitchen_catalog.jsonl: tools, kitchen
    // appliances, vacuums), which scored F1 0.898 on its first run.
    let report = rules_only_report("kitchen");
    assert!(report.f1 >= 0.95, "{report}");
}

#[test]
fn consoles_named_by_line_letter_or_short_name_and_lists_of_named_products() {
    let games = ["Electronics", "Video Games", "Consoles"];
    let pads = ["Electronics", "Video Games", "Controllers"];
    let extras = ["Electronics", "Video Games", "Accessories"];
    let mice = ["Electronics", "PC Gaming", "Mice"];
    let car = ["Automotive", "Jump Starters"];
    let kitchen = ["Home & Kitchen", "Pressure Cookers"];
    let rows = [
        described_row(
            "X1",
            "Xbox Series X 1TB Console",
            "Microsoft",
            &games,
            49999,
            "4K at 120 fps.",
        ),
        described_row(
            "X2",
            "Xbox Series X 1TB Console (Renewed)",
            "Microsoft",
            &games,
            39999,
            "Renewed.",
        ),
        described_row(
            "XS",
            "Xbox Series S 512GB Console, White",
            "Microsoft",
            &games,
            29999,
            "All digital.",
        ),
        described_row(
            "XC",
            "Xbox Wireless Controller, Carbon Black",
            "Microsoft",
            &pads,
            5999,
            "Works with Xbox Series X, Xbox Series S and Windows.",
        ),
        described_row(
            "NC",
            "Nintendo Switch Pro Controller",
            "Nintendo",
            &pads,
            6999,
            "HD rumble.",
        ),
        described_row(
            "P1",
            "Sony PlayStation 5 Console, Disc Edition",
            "Sony",
            &games,
            49999,
            "825GB SSD.",
        ),
        described_row(
            "P2",
            "Sony PlayStation 5 Digital Edition Console",
            "Sony",
            &games,
            44999,
            "No disc drive.",
        ),
        described_row(
            "PC",
            "PS5 Controller Charging Station, Dual Charger",
            "OIVO",
            &extras,
            1999,
            "Charges two DualSense controllers.",
        ),
        described_row(
            "M1",
            "Logitech G502 HERO Gaming Mouse, 25,600 DPI",
            "Logitech",
            &mice,
            3999,
            "11 buttons.",
        ),
        described_row(
            "M2",
            "Logitech G Pro X Superlight Wireless Gaming Mouse, 63 g",
            "Logitech",
            &mice,
            12999,
            "HERO 25K sensor.",
        ),
        described_row(
            "J1",
            "NOCO Boost Plus GB40 1000A 12V Jump Starter",
            "NOCO",
            &car,
            9995,
            "Up to 6 liters.",
        ),
        described_row(
            "J2",
            "NOCO Boost X GBX55 1750A 12V Jump Starter",
            "NOCO",
            &car,
            14995,
            "Up to 7.5 liters.",
        ),
        described_row(
            "IP",
            "Instant Pot Duo 7-in-1 Electric Pressure Cooker, 6 Quart (5.7 l)",
            "Instant Pot",
            &kitchen,
            8999,
            "7 appliances in one.",
        ),
        described_row(
            "IR",
            "Instant Pot Sealing Ring 2-Pack for 6 Quart Models",
            "Instant Pot",
            &kitchen,
            1295,
            "Silicone rings.",
        ),
    ]
    .concat();
    let (_dir, a) = assistant_over(&rows);
    // A line closed by a letter: its listings, not the line's other letter nor
    // what only names the line.
    let out = say(&a, None, "g1", "xbox series x");
    assert_eq!(sorted(&out), ["X1", "X2"], "{}", out.reply);
    // "for it" after such a line is for that line.
    let out = say(&a, None, "g2", "xbox series x and a controller for it");
    assert!(
        out.reply.contains("controller for xbox series x"),
        "{}",
        out.reply
    );
    assert_eq!(groups_of(&out)[1][0], "XC", "{}", out.reply);
    // "PS5" is the PlayStation 5, not the charging station named after it.
    let out = say(&a, None, "g3", "ps5");
    assert_eq!(sorted(&out), ["P1", "P2"], "{}", out.reply);
    let out = say(&a, None, "g4", "ps5 charging station");
    assert_eq!(ids(&out), ["PC"], "{}", out.reply);
    // A product named by a line that opens with a letter is a target of its own.
    let out = say(&a, None, "g5", "logitech g502 and g pro x superlight");
    assert_eq!(groups_of(&out), [vec!["M1"], vec!["M2"]], "{}", out.reply);
    // Amps written on to the number.
    let out = say(&a, None, "g6", "jump starter at least 1500a");
    assert_eq!(ids(&out), ["J2"], "{}", out.reply);
    // A line with its size, then another product.
    let out = say(&a, None, "g7", "instant pot duo 6 quart and a sealing ring");
    assert_eq!(groups_of(&out), [vec!["IP"], vec!["IR"]], "{}", out.reply);

    // The whole twelfth hand-written set (play_catalog.jsonl: consoles, gaming
    // gear, car electronics), which scored F1 0.917 on its first run.
    let report = rules_only_report("play");
    assert!(report.f1 >= 0.95, "{report}");
}

#[test]
fn a_board_named_by_its_socket_takes_what_its_listings_share_and_loudness_is_power() {
    let boards = ["Electronics", "Computer Components", "Motherboards"];
    let cpus = ["Electronics", "Computer Components", "CPUs"];
    let memory = ["Electronics", "Computer Components", "Memory"];
    let speakers = ["Electronics", "Audio", "Portable Bluetooth Speakers"];
    let fans = [
        "Video Games",
        "PlayStation 4",
        "Accessories",
        "Cooling Systems",
    ];
    let cables = ["Electronics", "Cables"];
    let headsets = ["Electronics", "Headsets"];
    let rows = [
        described_row(
            "B4",
            "MSI MAG B550 TOMAHAWK Gaming Motherboard (AMD AM4, DDR4, PCIe 4.0, ATX)",
            "MSI",
            &boards,
            17999,
            "ATX board.",
        ),
        described_row(
            "B5",
            "GIGABYTE B650 AORUS Elite AX (AM5, DDR5, PCIe 5.0, WiFi 6E, ATX) Motherboard",
            "GIGABYTE",
            &boards,
            21999,
            "ATX board.",
        ),
        described_row(
            "C4",
            "AMD Ryzen 9 5900X Desktop Processor 12 Cores up to 4.8GHz AM4 (Renewed)",
            "AMD",
            &cpus,
            24950,
            "Renewed.",
        ),
        described_row(
            "R4",
            "Corsair Vengeance LPX 16GB (2x8GB) DDR4 3200MHz C16 Desktop Memory",
            "Corsair",
            &memory,
            4499,
            "Desktop memory.",
        ),
        described_row(
            "R5",
            "Kingston FURY Beast 16GB (2x8GB) DDR5 5200MHz CL40 Desktop Memory",
            "Kingston",
            &memory,
            6499,
            "Desktop memory.",
        ),
        described_row(
            "S1",
            "80W Bluetooth Speaker, Portable Wireless Speaker with Subwoofer",
            "Desong",
            &speakers,
            8999,
            "Loud party speaker.",
        ),
        described_row(
            "S2",
            "Mini Bluetooth Speaker 5W, Portable Wireless Speaker",
            "Generic",
            &speakers,
            1999,
            "Pocket speaker.",
        ),
        described_row(
            "F4",
            "New Compatible for Sony Playstation 4 PS4 Pro CUH-7015b 7000 Cooling Fan",
            "Generic",
            &fans,
            1999,
            "Replacement fan.",
        ),
        described_row(
            "L1",
            "Apple Lightning to USB Cable (1 m)",
            "Apple",
            &cables,
            1900,
            "Connects iPhone or iPad to a USB port.",
        ),
        described_row(
            "H1",
            "Amazon Basics HDMI Cable 6 ft, 4K",
            "Amazon Basics",
            &cables,
            799,
            "For TVs and monitors.",
        ),
        described_row(
            "O1",
            "Jabra Evolve2 40 USB Headset",
            "Jabra",
            &headsets,
            8900,
            "Made for calls in the office.",
        ),
        described_row(
            "O2",
            "Logitech H390 USB Headset",
            "Logitech",
            &headsets,
            2999,
            "Noise-cancelling microphone.",
        ),
        described_row(
            "W1",
            "Sport Band Compatible with Apple Watch Band 44mm 45mm",
            "Generic",
            &["Electronics", "Smartwatch Bands"],
            999,
            "Soft silicone band.",
        ),
        described_row(
            "IC",
            "iPad Case 9.7 inch, 360 Degree Rotating Stand Cover",
            "Generic",
            &["Electronics", "Tablet Cases"],
            1599,
            "Fits the iPad 9.7 inch.",
        ),
    ]
    .concat();
    let (_dir, a) = assistant_over(&rows);
    // A board named by its socket: the memory its boards take, not every memory.
    let out = say(&a, None, "s1", "ram for an am4 motherboard");
    assert_eq!(ids(&out), ["R4"], "{}", out.reply);
    let out = say(&a, None, "s2", "ram for an am5 motherboard");
    assert_eq!(ids(&out), ["R5"], "{}", out.reply);
    // "loudest" sorts by the power titles state.
    let out = say(&a, None, "s3", "which bluetooth speaker is the loudest");
    assert_eq!(ids(&out).first(), Some(&"S1"), "{}", out.reply);
    assert!(!out.reply.contains("carry"), "{}", out.reply);
    // A title that opens with what it fits names itself at its end.
    let out = say(&a, None, "s4", "fan for my playstation 4 pro");
    assert_eq!(ids(&out), ["F4"], "{}", out.reply);
    assert!(out.products[0].relaxed.is_empty(), "{}", out.reply);
    // What a product is for, named as a line the products write ("iPhone"): those
    // that name it; a use ("the office") narrows nothing.
    let out = say(&a, None, "s5", "a cable for my iphone");
    assert_eq!(ids(&out), ["L1"], "{}", out.reply);
    let out = say(&a, None, "s6", "headset for the office");
    let found = sorted(&out);
    assert_eq!(found, ["O1", "O2"], "{}", out.reply);
    // A band for a maker's watch no product names is no band the shop has: the
    // nearest shown apart.
    let out = say(&a, None, "s7", "band for my fitbit");
    assert!(out.reply.contains("band for my fitbit"), "{}", out.reply);
    assert!(
        out.products.iter().all(|p| !p.relaxed.is_empty()),
        "{}",
        out.reply
    );
    let out = say(&a, None, "s8", "band for my apple watch");
    assert_eq!(ids(&out), ["W1"], "{}", out.reply);
    assert!(out.products[0].relaxed.is_empty(), "{}", out.reply);
    // A case for a kind of product the shop has, that no case is made for.
    let out = say(&a, None, "s9", "case for my headset");
    assert!(out.reply.contains("case for my headset"), "{}", out.reply);
    assert!(
        out.products.iter().all(|p| !p.relaxed.is_empty()),
        "{}",
        out.reply
    );
    let out = say(&a, None, "s10", "case for my ipad");
    assert_eq!(ids(&out), ["IC"], "{}", out.reply);
}

/// A row of a catalogue titled in German, in euros: [`described_row`]'s, in German.
fn german_row(id: &str, title: &str, brand: &str, category: &[&str], price: u32) -> String {
    let mut row: serde_json::Value =
        serde_json::from_str(&described_row(id, title, brand, category, price, "")).unwrap();
    row["currency"] = "EUR".into();
    row["language"] = "de".into();
    format!("{row}\n")
}

#[test]
fn german_titles_name_their_kind_in_the_compound_and_german_numbers_and_torque_are_specs() {
    let saws = ["Baumarkt", "Elektrowerkzeuge", "Sägen"];
    let drivers = ["Baumarkt", "Elektrowerkzeuge", "Bohrschrauber"];
    let packs = ["Baumarkt", "Elektrowerkzeuge", "Akkus & Ladegeräte"];
    let banks = ["Elektronik", "Powerbanks"];
    let vacuums = ["Haushalt", "Staubsauger"];
    let parts = ["Haushalt", "Staubsauger-Zubehör"];
    let rows = [
        german_row(
            "S1",
            "Metabo Kappsäge KS 216 M (1350 Watt, Sägeblatt 216 mm)",
            "Metabo",
            &saws,
            16900,
        ),
        german_row(
            "S2",
            "Einhell Tauchsäge TE-PS 165 mit Führungsschiene",
            "Einhell",
            &saws,
            11900,
        ),
        german_row(
            "S3",
            "Bosch Sägeblatt-Set für Kappsägen, 3-teilig",
            "Bosch",
            &["Baumarkt", "Sägeblätter"],
            2999,
        ),
        german_row(
            "D1",
            "Metabo Akku-Bohrschrauber BS 18 L (18 V, 60 Nm, inkl. 2x 2,0 Ah Akku)",
            "Metabo",
            &drivers,
            15900,
        ),
        german_row(
            "D2",
            "Ryobi Akku-Bohrschrauber R18DD3 18 V, 30 Nm, ohne Akku",
            "Ryobi",
            &drivers,
            5900,
        ),
        german_row(
            "A1",
            "Ryobi Akku RB18L40 18 V 4,0 Ah",
            "Ryobi",
            &packs,
            6900,
        ),
        german_row(
            "A2",
            "Metabo Schnellladegerät ASC 145 für 12-36 V Akkus",
            "Metabo",
            &packs,
            5900,
        ),
        german_row(
            "P1",
            "Xiaomi Powerbank 10.000 mAh, USB-C",
            "Xiaomi",
            &banks,
            1999,
        ),
        german_row(
            "P2",
            "Baseus Powerbank 30.000 mAh, 65W",
            "Baseus",
            &banks,
            5999,
        ),
        german_row(
            "V1",
            "Dreame L10s Saugroboter mit Wischfunktion, 5300 Pa",
            "Dreame",
            &vacuums,
            39900,
        ),
        german_row(
            "V2",
            "Philips Bodenstaubsauger XB2140, 900 W",
            "Philips",
            &vacuums,
            8900,
        ),
        german_row(
            "F1",
            "Ersatzfilter für Dreame L10s, 3 Stück",
            "Generic",
            &parts,
            1299,
        ),
    ]
    .concat();
    let (_dir, a) = assistant_over(&rows);

    // The compound names the kind: a "Tauchsäge" is a saw, a blade set for saws is
    // none, and a request for one kind of saw gets that one, not its shelf.
    let out = say(&a, None, "g1", "säge");
    assert_eq!(sorted(&out), ["S1", "S2"], "{}", out.reply);
    // A German plural asks for its singular's kind.
    let out = say(&a, None, "g11", "zeig mir sägen");
    assert_eq!(sorted(&out), ["S1", "S2"], "{}", out.reply);
    let out = say(&a, None, "g2", "eine tauchsäge");
    assert_eq!(ids(&out), ["S2"], "{}", out.reply);
    // A title that opens with its maker names its kind after the line: the robot
    // vacuum is one, and a vacuum too (its shelf).
    let out = say(&a, None, "g3", "saugroboter");
    assert_eq!(ids(&out), ["V1"], "{}", out.reply);
    let out = say(&a, None, "g4", "staubsauger");
    assert_eq!(sorted(&out), ["V1", "V2"], "{}", out.reply);
    // A shopper's word for the kind the titles write otherwise.
    let out = say(&a, None, "g5", "akkuschrauber");
    assert_eq!(sorted(&out), ["D1", "D2"], "{}", out.reply);
    // "30.000 mAh" is thirty thousand, and the most capacity sorts by it.
    let out = say(&a, None, "g6", "welche powerbank hat die meiste kapazität");
    assert_eq!(ids(&out)[0], "P2", "{}", out.reply);
    let out = say(&a, None, "g7", "powerbank mit mindestens 20000 mah");
    assert_eq!(ids(&out), ["P2"], "{}", out.reply);
    // Torque in newton metres is a spec.
    let out = say(&a, None, "g8", "akku-bohrschrauber mit mindestens 50 nm");
    assert_eq!(ids(&out), ["D1"], "{}", out.reply);
    // The filter for a model is no listing of that model.
    let out = say(&a, None, "g9", "dreame l10s");
    assert_eq!(ids(&out), ["V1"], "{}", out.reply);
    // A battery for a driver named by its model: the maker's battery, not the
    // driver again.
    let out = say(&a, None, "g10", "akku für ryobi r18dd3");
    assert_eq!(ids(&out), ["A1"], "{}", out.reply);

    // The whole thirteenth hand-written set, the first titled in German
    // (werkstatt_catalog.jsonl), which scored F1 0.785 on its first run.
    let report = rules_only_report("werkstatt");
    assert!(report.f1 >= 0.95, "{report}");
    // And the fourteenth, written after those rules to check them
    // (haushalt_catalog.jsonl), which scored 0.974 on its first run (0.689 before
    // them); its one miss was "fritzbox" for the "FRITZ!Box".
    let report = rules_only_report("haushalt");
    assert!(report.f1 >= 0.95, "{report}");
}

#[test]
fn a_bag_or_case_for_a_product_none_is_made_for_is_said_missing_also_as_a_second_target() {
    let tripods = ["Electronics", "Camera & Photo", "Tripods"];
    let beauty = ["Beauty", "Bags & Cases", "Cosmetic Bags"];
    let headphones = ["Electronics", "Headphones"];
    let cases = ["Electronics", "Headphone Cases"];
    let rows = [
        described_row(
            "T1",
            "Manfrotto Befree Aluminium Travel Tripod",
            "Manfrotto",
            &tripods,
            17999,
            "Travel tripod.",
        ),
        described_row(
            "T2",
            "Benro Carbon Fiber Tripod with Ball Head",
            "Benro",
            &tripods,
            24999,
            "Tripod.",
        ),
        described_row(
            "B1",
            "Makeup Bag, Cosmetic Travel Pouch for Women",
            "Lotus",
            &beauty,
            999,
            "Toiletry bag.",
        ),
        described_row(
            "B2",
            "Toiletry Bag, Hanging Travel Organizer",
            "Lotus",
            &beauty,
            1899,
            "Travel bag.",
        ),
        described_row(
            "H1",
            "Sony WH-CH520 Wireless Headphones",
            "Sony",
            &headphones,
            4999,
            "On-ear.",
        ),
        described_row(
            "H2",
            "JBL Tune 510BT Wireless Headphones",
            "JBL",
            &headphones,
            3999,
            "On-ear.",
        ),
        described_row(
            "C1",
            "Hard Case for Bose QuietComfort Headphones",
            "Geekria",
            &cases,
            1999,
            "Case.",
        ),
    ]
    .concat();
    let (_dir, a) = assistant_over(&rows);
    // No bag here is made for a tripod: said, the nearest shown apart, not make-up
    // bags "found" for it.
    let out = say(&a, None, "b1", "a bag for my tripod");
    assert!(out.reply.contains("bag for my tripod"), "{}", out.reply);
    assert!(
        out.products.iter().all(|p| !p.relaxed.is_empty()),
        "{}",
        out.reply
    );
    // So as the second target of two.
    let out = say(&a, None, "b2", "a tripod and a bag for it");
    let bags: Vec<_> = out.products.iter().filter(|p| p.group == Some(1)).collect();
    assert!(!bags.is_empty(), "{}", out.reply);
    assert!(bags.iter().all(|p| !p.relaxed.is_empty()), "{}", out.reply);
    // A case for headphones by a maker no case names: the Bose case is no case for
    // Sony headphones.
    let out = say(&a, None, "b3", "a case for sony headphones");
    assert!(
        out.reply.contains("case for sony headphones"),
        "{}",
        out.reply
    );
    assert!(
        out.products.iter().all(|p| !p.relaxed.is_empty()),
        "{}",
        out.reply
    );
    // Without the maker, the case for headphones is found.
    let out = say(&a, None, "b4", "a case for my headphones");
    assert_eq!(ids(&out), ["C1"], "{}", out.reply);
    assert!(out.products[0].relaxed.is_empty(), "{}", out.reply);
}

#[test]
fn a_marketplace_catalogue_with_coarse_shelves_is_read_by_its_titles_and_the_lines_they_name() {
    let computers = ["Computers"];
    let phones = ["Cell Phones & Accessories"];
    let row = |id: &str, title: &str, brand: &str, shelf: &[&str], price: u32| {
        described_row(id, title, brand, shelf, price, "")
    };
    let rows = [
        row(
            "W1",
            "Apple Watch Series 9 [GPS 45mm] Smartwatch with Midnight Aluminum Case with Midnight Sport Band M/L",
            "Apple",
            &["Electronics"],
            42900,
        ),
        row(
            "C1",
            "Spigen Rugged Armor Designed for Apple Watch Case for Series 9/8/7 45mm - Matte Black",
            "Spigen",
            &phones,
            1699,
        ),
        row(
            "C2",
            "Spigen Thin Fit Designed for Apple Watch Case for Series 9/8/7 41mm - Black",
            "Spigen",
            &phones,
            1399,
        ),
        row(
            "T1",
            "Apple iPad (10th Generation): with A14 Bionic chip, 10.9-inch Liquid Retina Display, 64GB, Wi-Fi 6",
            "Apple",
            &[],
            34900,
        ),
        row(
            "T2",
            "SAMSUNG Galaxy Tab A9+ Tablet 11\" 64GB Android Tablet, Big Screen, Quad Speakers",
            "Samsung",
            &[],
            21999,
        ),
        row(
            "C3",
            "ESR for iPad 10th Generation Case (2022), iPad Case 10.9 Inch, Trifold Stand Case",
            "ESR",
            &[],
            1599,
        ),
        row(
            "K1",
            "Anker USB C to USB C Cable, 240W, 6 ft, Nylon Braided Fast Charging Cable for MacBook Pro, iPad Pro, Galaxy S23",
            "Anker",
            &phones,
            1399,
        ),
        row(
            "M1",
            "Logitech G502 HERO High Performance Wired Gaming Mouse, HERO 25K Sensor, 25,600 DPI, RGB",
            "Logitech",
            &computers,
            3999,
        ),
        row(
            "M2",
            "Logitech M185 Wireless Mouse, 2.4GHz with USB Mini Receiver, 1000 DPI Optical Tracking - Grey",
            "Logitech",
            &computers,
            1399,
        ),
        row(
            "K2",
            "Redragon K552 Mechanical Gaming Keyboard RGB LED Rainbow Backlit Wired Keyboard (87 Keys, Black)",
            "Redragon",
            &computers,
            3499,
        ),
        row(
            "S1",
            "Crucial BX500 480GB 3D NAND SATA 2.5-Inch Internal SSD, up to 540MB/s - CT480BX500SSD1",
            "Crucial",
            &computers,
            3499,
        ),
        row(
            "D1",
            "Dell S2421HN 24 Inch Full HD 1080p IPS Ultra-Thin Bezel Monitor, 75Hz, AMD FreeSync",
            "Dell",
            &computers,
            12999,
        ),
        row(
            "SD1",
            "SanDisk 128GB Extreme microSDXC UHS-I Memory Card with Adapter - Up to 190MB/s, C10, U3",
            "SanDisk",
            &["Electronics"],
            1699,
        ),
        row(
            "B1",
            "Philips Hue White and Color Ambiance A19 LED Smart Bulb, 60W Equivalent, 2 Pack",
            "Philips Hue",
            &["Smart Home"],
            8999,
        ),
        row(
            "E1",
            "Soundcore by Anker P20i True Wireless Earbuds, 10mm Drivers with Big Bass",
            "Soundcore",
            &["Electronics"],
            1999,
        ),
        row(
            "E2",
            "JLab Go Air Pop True Wireless Bluetooth Earbuds + Charging Case, Black",
            "JLab",
            &["Electronics"],
            1999,
        ),
        row(
            "V1",
            "VIZIO V-Series 2.1 Home Theater Sound Bar with Subwoofer, Bluetooth - V21d-J8",
            "VIZIO",
            &["Electronics"],
            14999,
        ),
        row(
            "V2",
            "Bose TV Speaker, Bluetooth Soundbar for TV, HDMI-ARC Connectivity, Black",
            "Bose",
            &["Electronics"],
            19900,
        ),
        row(
            "I1",
            "HP 67 Black Ink Cartridge | Works with HP DeskJet 1255, 2700, 4100 Series | 3YM56AN",
            "HP",
            &["Office Products"],
            1699,
        ),
        row(
            "P1",
            "HP DeskJet 2755e Wireless Color All-in-One Printer with bonus 3 Months Instant Ink (26K67A)",
            "HP",
            &["Office Products"],
            8499,
        ),
        row(
            "R1",
            "TP-Link Archer AX55 AX3000 Dual Band Gigabit Wi-Fi 6 Router, OneMesh",
            "TP-Link",
            &computers,
            9999,
        ),
        row(
            "R2",
            "NETGEAR Nighthawk Dual-Band WiFi 6 Router (RAX54S) – AX5400 Wireless Speed",
            "NETGEAR",
            &computers,
            17999,
        ),
    ]
    .concat();
    let (_dir, a) = assistant_over(&rows);

    // "Designed for Apple Watch Case": a case, made for the watch; the watch "with
    // … Aluminum Case" is none.
    let out = say(&a, None, "m1", "apple watch case");
    assert_eq!(sorted(&out), ["C1", "C2"], "{}", out.reply);
    // A case for the watch found before: of its size.
    let out = say(&a, None, "m2", "an apple watch series 9 and a case for it");
    let cases: Vec<_> = out.products.iter().filter(|p| p.group == Some(1)).collect();
    assert_eq!(cases.len(), 1, "{}", out.reply);
    assert_eq!(cases[0].id, "C1", "{}", out.reply);
    // A title that names its product by the line is of the line's kind; what is
    // for the line (its case, a cable "for … iPad Pro") is not.
    let out = say(&a, None, "m3", "tablet");
    assert_eq!(sorted(&out), ["T1", "T2"], "{}", out.reply);
    let out = say(&a, None, "m4", "ipad");
    assert_eq!(ids(&out), ["T1"], "{}", out.reply);
    // A shelf of many sorts ("Computers") is no kind of each: a cheaper
    // alternative to a mouse is a mouse, not the keyboard beside it.
    let out = say(&a, None, "m5", "a cheaper alternative to the logitech g502");
    assert_eq!(ids(&out), ["M2"], "{}", out.reply);
    // "micro sd" is the "microSDXC" of a title, and a light bulb an LED bulb.
    let out = say(&a, None, "m6", "micro sd card");
    assert_eq!(ids(&out), ["SD1"], "{}", out.reply);
    let out = say(&a, None, "m7", "smart light bulbs");
    assert_eq!(ids(&out), ["B1"], "{}", out.reply);
    // A line "by" its maker is named after it; a "Sound Bar" leads its title as a
    // soundbar does.
    let out = say(&a, None, "m8", "wireless earbuds");
    assert_eq!(sorted(&out), ["E1", "E2"], "{}", out.reply);
    let out = say(&a, None, "m9", "soundbar");
    assert_eq!(sorted(&out), ["V1", "V2"], "{}", out.reply);
    // "wifi" is the "Wi-Fi" of a title, also where a price limit asks whether the
    // words or the limit blocked the rest.
    let out = say(&a, None, "m10", "wifi router under 150 dollars");
    assert_eq!(ids(&out), ["R1"], "{}", out.reply);
    // Ink for the DeskJet 2700 series fits the 2755e.
    let out = say(&a, None, "m11", "ink for my hp deskjet 2755e");
    assert_eq!(ids(&out), ["I1"], "{}", out.reply);

    // The whole fifteenth hand-written set (market_catalog.jsonl: a marketplace's
    // titles on coarse shelves), which scored F1 0.889 on its first run, and the
    // sixteenth, written after those rules to check them (market2), 0.836 on its
    // first run.
    let report = rules_only_report("market");
    assert!(report.f1 >= 0.95, "{report}");
    let report = rules_only_report("market2");
    assert!(report.f1 >= 0.95, "{report}");
}

#[test]
fn marketplace_feeds_of_appliances_tools_and_pc_parts_and_bare_feeds_are_read_by_their_titles() {
    // Three sets written after the marketplace rules, each before the code ran on
    // it: market3 (kitchen appliances, power tools, smart home and PC parts on
    // coarse shelves; first run F1 0.844), market4 (a bare feed without categories
    // and some rows without a brand; 0.913) and market_said (both catalogues asked
    // as shoppers type and say it; 0.929), and market5 (appliances with their
    // filters, heads and batteries; 0.946). Among what they taught: "AMD Ryzen 7
    // 5800X …, Desktop Processor" is a processor, "Ninja … Professional Plus
    // Blender" a blender, "Impact Driver Kit" a driver, "Apple Lightning to USB
    // Cable" a cable, "1,7 liter" one number, "k-mini" no "K-Cup", "do you guys
    // sell …" no yes, a maker alone its own products.
    for set in ["market3", "market4", "market_said", "market5"] {
        let report = rules_only_report(set);
        assert!(report.f1 >= 0.95, "{set}: {report}");
        assert!(report.first_right >= 0.95, "{set}: {report}");
        assert!(report.steps_right >= 0.95, "{set}: {report}");
    }
    // A maker of several products named alone for the cart: they are shown to
    // choose from and nothing is added; the shopper's pick then goes in.
    let dir = tempfile::tempdir().unwrap();
    let a = catalogue_assistant(dir.path(), "market3");
    let out = say(&a, None, "k1", "put the dewalt in my cart");
    assert_eq!(
        sorted(&out),
        ["R13", "R15", "R16", "R17", "R23"],
        "{}",
        out.reply
    );
    assert!(out.cart.is_none() || out.cart.unwrap().items.is_empty());
    let picked = say(&a, Some(&out.session_id), "k1", "the third one");
    let cart = picked.cart.as_ref().expect("a cart");
    assert_eq!(cart.items.len(), 1, "{}", picked.reply);
    assert!(!picked.actions.iter().any(|x| x["type"] == "order.placed"));
}

#[test]
fn reseller_feeds_with_specs_in_attributes_and_german_shops_with_priced_variants_are_read() {
    // Two more sets written before the code ran on them: market6, a reseller feed
    // whose specs live in single-valued attributes ("Capacity": "1 TB", "Ports": 8)
    // and descriptions, with the category as one joined path (first run F1 0.90:
    // its rows were rejected before, and "Mice" was no shelf of mice), and market7,
    // a German shop whose capacities, lengths and sizes are variants with their own
    // prices (0.962); market_said2 asks both as shoppers type and say it (0.926:
    // "16 gigs of ram", "do you carry laser printers", "external hard drives").
    for set in ["market6", "market7", "market_said2"] {
        let report = rules_only_report(set);
        assert!(report.f1 >= 0.95, "{set}: {report}");
        assert!(report.first_right >= 0.95, "{set}: {report}");
        assert!(report.steps_right >= 0.95, "{set}: {report}");
    }
    let dir = tempfile::tempdir().unwrap();
    let a = catalogue_assistant(dir.path(), "market6");
    // The mouse whose attributes say "Wired" is no wireless mouse; titles say neither.
    let out = say(&a, None, "r1", "wireless mouse");
    assert_eq!(sorted(&out), ["K27", "K28"], "{}", out.reply);
    // "Ports": 8 is eight ports; the five-port switch is not shown as one.
    let out = say(&a, None, "r2", "8 port switch");
    assert_eq!(ids(&out), ["K18"], "{}", out.reply);
    // A power adapter on the wall chargers' shelf is a charger.
    let out = say(&a, None, "r3", "charger");
    assert_eq!(sorted(&out), ["K23", "K24"], "{}", out.reply);

    let dir = tempfile::tempdir().unwrap();
    let a = catalogue_assistant(dir.path(), "market7");
    // The cheapest version of the cheapest cable goes in, without a question.
    let out = say(
        &a,
        None,
        "v1",
        "pack das günstigste hdmi kabel in den warenkorb",
    );
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items.len(), 1, "{}", out.reply);
    assert_eq!(cart.items[0].item.variant_id, "G09-1", "{}", out.reply);
    // A named capacity picks its variant.
    let out = say(
        &a,
        None,
        "v2",
        "leg die samsung 870 evo mit 1 tb in den warenkorb",
    );
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items[0].item.variant_id, "G01-2", "{}", out.reply);
    // An English name of two words finds the German shop's word for it.
    let out = say(&a, None, "v3", "external hard drive");
    assert_eq!(ids(&out), ["G06"], "{}", out.reply);
}

#[test]
fn a_merchant_feed_of_pc_parts_is_read_as_the_shop_sells_it() {
    // market9, written before the code ran on it: a German shop's Merchant XML feed
    // without languages. First run F1 0.565: every price was the 4.99 EUR of the
    // items' <g:shipping>, specs in <g:product_detail> were lost, English words found
    // no German kind ("motherboard", "ram", "cpu"), "CPU-Kühler" was no kind.
    // market_said3 asks market8 and market9 as shoppers type and say it (first run
    // 0.919: "welcher arbeitsspeicher passt zum asus b550" was taken as a yes,
    // "20k mah" was no capacity, "sony xm5" no model).
    for set in ["market9", "market_said3"] {
        let report = rules_only_report(set);
        assert!(report.f1 >= 0.93, "{set}: {report}");
        assert!(report.first_right >= 0.95, "{set}: {report}");
        assert!(report.steps_right >= 0.95, "{set}: {report}");
    }
    let dir = tempfile::tempdir().unwrap();
    let a = catalogue_assistant(dir.path(), "market9");
    let out = say(&a, None, "m1", "corsair rm850x");
    assert_eq!(
        out.products[0].price, 13900,
        "the item's price, not its shipping's"
    );
    let out = say(&a, None, "m2", "motherboard");
    assert_eq!(
        sorted(&out),
        ["ASUS-B550-PLUS", "MSI-B650-TOMAHAWK", "MSI-Z790-P"],
        "{}",
        out.reply
    );
    let out = say(&a, None, "m3", "stärkstes netzteil");
    assert_eq!(ids(&out)[0], "CP-9020200-EU", "{}", out.reply);
    // A version named in the grouped items' titles.
    let out = say(&a, None, "m4", "add the corsair vengeance 64gb to my cart");
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(
        cart.items[0].item.variant_id, "CMK64GX5M2B6000C40",
        "{}",
        out.reply
    );
}

#[test]
fn a_shopify_export_is_read_as_the_shop_sells_it() {
    // market8, written before the code ran on it: a US shop's Shopify product CSV.
    // First run F1 0.926, steps 0.50: its draft and archived products were offered
    // ("the cheapest wifi extender" was the discontinued one), its English titles were
    // read with German rules ("earbuds" found the Sony headphones, and "ssd" was
    // answered in German), and versions told apart by "Capacity", "Length" or "Pack"
    // had no size ("add the deco x55 3 pack" put three 1-packs in the cart).
    let report = rules_only_report("market8");
    assert!(report.f1 >= 0.95, "{report}");
    assert!(report.first_right >= 0.95, "{report}");
    assert!(report.steps_right >= 0.95, "{report}");
    let dir = tempfile::tempdir().unwrap();
    let a = catalogue_assistant(dir.path(), "market8");
    // Never the draft T9 nor the archived EX2800.
    let out = say(&a, None, "s1", "portable ssd");
    assert_eq!(ids(&out), ["samsung-t7-portable-ssd"], "{}", out.reply);
    let out = say(&a, None, "s2", "cheapest wifi extender");
    assert_eq!(ids(&out)[0], "netgear-ex3700", "{}", out.reply);
    // One English word gets an English answer from an English shop.
    let out = say(&a, None, "s3", "ssd");
    assert_eq!(out.language, shopassist::nlu::Language::En, "{}", out.reply);
    // The pack said is the version; the capacity said is the version.
    let out = say(&a, None, "s4", "add the deco x55 3 pack to my cart");
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(
        (
            cart.items[0].item.variant_id.as_str(),
            cart.items[0].item.quantity
        ),
        ("DECO-X55-3", 1),
        "{}",
        out.reply
    );
    let out = say(&a, None, "s5", "add the samsung t7 2tb to my cart");
    let cart = out.cart.as_ref().expect("a cart");
    assert_eq!(cart.items[0].item.variant_id, "MU-PC2T0T", "{}", out.reply);
    // A model's end, as shoppers shorten it.
    let out = say(&a, None, "s6", "sony xm5");
    assert_eq!(ids(&out), ["sony-wh-1000xm5"], "{}", out.reply);
    // What it is not: the opposite is left out, in either language.
    let out = say(&a, None, "s7", "a mouse that isnt wireless");
    assert_eq!(ids(&out), ["razer-deathadder-v3"], "{}", out.reply);
    let out = say(&a, None, "s8", "tastatur nicht kabellos");
    assert_eq!(ids(&out), ["logitech-k120-wired-keyboard"], "{}", out.reply);
}
