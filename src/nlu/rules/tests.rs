use super::*;

fn max(t: &str) -> Option<i64> {
    extract(t).price.and_then(|p| p.max)
}

#[test]
fn german_price_limits() {
    assert_eq!(
        max("Ich brauche einen wasserdichten Wintermantel unter 200 €"),
        Some(20000)
    );
    assert_eq!(max("bis 50 Euro"), Some(5000));
    assert_eq!(max("max. 30€"), Some(3000));
    assert_eq!(max("nicht mehr als 80 euro bitte"), Some(8000));
    assert_eq!(max("unter zweihundert euro"), Some(20000), "spoken");
    assert_eq!(
        max("bis neunundvierzig neunundneunzig euro"),
        Some(4999),
        "spoken cents"
    );
    assert_eq!(max("höchstens 19,99 €"), Some(1999));
    let r = extract("zwischen 20 und 40 Euro").price.unwrap();
    assert_eq!((r.min, r.max), (Some(2000), Some(4000)));
    assert_eq!(extract("ab 100 euro").price.unwrap().min, Some(10000));
}

#[test]
fn english_price_limits() {
    assert_eq!(max("less than $40"), Some(4000));
    assert_eq!(max("under 200 bucks"), Some(20000));
    assert_eq!(max("price lower than 40.00 dollars"), Some(4000));
    assert_eq!(max("under two hundred and fifty dollars"), Some(25000));
    assert_eq!(
        max("no more than forty nine ninety nine dollars"),
        Some(4999)
    );
    let r = extract("around 100 euros").price.unwrap();
    assert_eq!((r.min, r.max), (Some(8000), Some(12000)));
    let r = extract("between $5 and $10").price.unwrap();
    assert_eq!((r.min, r.max), (Some(500), Some(1000)));
    // A range with a unit after it is a size, not a price.
    assert_eq!(extract("monitors between 25 and 30 inch").price, None);
    assert_eq!(extract("ssd zwischen 1 und 2 tb").price, None);
    assert_eq!(extract("less than $40").currency.as_deref(), Some("USD"));
}

#[test]
fn spoken_hundreds_and_more_phrasings() {
    assert_eq!(normalise("einhundertzwanzig euro"), "120 eur");
    assert_eq!(max("nicht teurer als einhundertzwanzig euro"), Some(12000));
    assert_eq!(
        normalise("kopfhörer um die einhundert euro"),
        "kopfhörer um die 100 eur"
    );
    let r = extract("kopfhörer um die einhundert euro").price.unwrap();
    assert_eq!((r.min, r.max), (Some(8000), Some(12000)));
    assert_eq!(max("not more expensive than 30 dollars"), Some(3000));
}

#[test]
fn a_number_after_in_is_a_size_when_it_looks_like_one() {
    assert_eq!(extract("das zweite in 42").sizes, vec!["42"]);
    assert_eq!(extract("the first one in 38").sizes, vec!["38"]);
    assert!(extract("lieferung in 20 minuten").sizes.is_empty());
    assert!(extract("in 3 farben").sizes.is_empty());
}

#[test]
fn numbers_that_are_no_prices_stay_out() {
    assert_eq!(extract("wo bleibt meine bestellung").price, None);
    assert_eq!(extract("spielzeug ab 3 jahren").price, None);
    assert_eq!(extract("schuhe in größe 42").price, None);
    assert_eq!(extract("zelt für 2 personen").price, None);
    assert_eq!(extract("toys for kids under 12").price, None);
    assert_eq!(extract("a tent for under 4 people").price, None);
    assert_eq!(extract("a monitor under 30 inch").price, None);
}

#[test]
fn a_bare_limit_that_ends_the_message_is_a_price() {
    let max = |t: &str| extract(t).price.and_then(|p| p.max);
    assert_eq!(max("router under 100"), Some(10000));
    assert_eq!(max("laptop unter 500 bitte"), Some(50000));
    assert_eq!(max("a monitor under 200 with hdmi"), Some(20000));
    assert_eq!(
        max("cable under 5"),
        None,
        "too small to be sure it is money"
    );
    // "in" that ends the message is the inches of the number.
    let min = |t: &str| extract(t).price.and_then(|p| p.min);
    assert_eq!(min("a monitor of at least 30 in"), None);
}

#[test]
fn colours_with_german_inflection_and_negation() {
    let s = extract("Ich suche schwarze Schuhe, aber nicht rot");
    assert_eq!(s.colors, vec!["black"]);
    assert_eq!(s.not_colors, vec!["red"]);
    // Said without the apostrophe: "a phone case that isn't black" wanted black.
    let s = extract("a phone case that isnt black");
    assert_eq!(
        (s.colors.len(), s.not_colors),
        (0, vec!["black".to_string()])
    );
    assert_eq!(extract("eine dunkelgraue jacke").colors, vec!["grey"]);
    assert_eq!(extract("und das ganze in grün?").colors, vec!["green"]);
    assert_eq!(extract("in navy blue please").colors, vec!["navy", "blue"]);
    assert!(extract("wo bleibt meine bestellung").colors.is_empty());
    // A colour word that closes the product's name is the product.
    assert!(extract("face cream for dry skin").colors.is_empty());
    assert!(extract("hand cream").colors.is_empty());
    assert_eq!(extract("a sweater in cream").colors, vec!["beige"]);
    assert_eq!(extract("cream sweater").colors, vec!["beige"]);
    assert_eq!(extract("black and cream").colors, vec!["black", "beige"]);
}

#[test]
fn sizes_in_both_languages() {
    assert_eq!(extract("Laufschuhe in Größe 42").sizes, vec!["42"]);
    assert_eq!(extract("Größe M bitte").sizes, vec!["M"]);
    assert_eq!(extract("a shirt in XL").sizes, vec!["XL"]);
    assert_eq!(extract("size 8.5 wide").sizes, vec!["8.5", "wide"]);
    assert_eq!(extract("queen size bed sheets").sizes, vec!["queen size"]);
    // Its word opens the size: no product word.
    assert!(opens_a_size("queen", Some("size")));
    assert!(!opens_a_size("queen", Some("bed")));
    assert!(!opens_a_size("daybed", Some("size")));
    assert_eq!(extract("ein tisch 100x45x45cm").sizes, vec!["100x45x45cm"]);
    // Said: "by", "mal".
    assert_eq!(extract("6 by 9 car speakers").sizes, vec!["6x9"]);
    assert_eq!(extract("ein teppich 160 mal 230").sizes, vec!["160x230"]);
    assert!(extract("speakers by pioneer").sizes.is_empty());
    // A model with a hyphen is no size.
    assert!(extract("rockford fosgate r2-500x1").sizes.is_empty());
    assert_eq!(extract("women's shorts size: 3x-large").sizes, vec!["3XL"]);
    assert!(extract("ich brauche einen mantel").sizes.is_empty());
}

#[test]
fn quantities_and_packs() {
    assert_eq!(extract("zwei Stück bitte").quantity, Some(2));
    assert_eq!(extract("3x davon").quantity, Some(3));
    assert_eq!(extract("a pack of 2").quantity, Some(2));
    assert_eq!(extract("6er pack wasser").quantity, Some(6));
    assert_eq!(extract("ich nehme den schwarzen").quantity, None);
    // A count before what is counted, after a word that asks for it.
    assert_eq!(
        extract("I need 2 hdmi cables of at least 25 feet").quantity,
        Some(2)
    );
    assert_eq!(extract("the 3 cheapest hdmi cables").quantity, Some(3));
    assert_eq!(extract("die drei günstigsten kopfhörer").quantity, Some(3));
    assert_eq!(extract("purchase 2 hdmi cables").quantity, Some(2));
    assert_eq!(extract("2 hdmi cables of 25 feet").quantity, Some(2));
    assert_eq!(
        extract("put two 10 feet hdmi cables in my cart").quantity,
        Some(2)
    );
    // A count put in the cart: "2 in" is no length there.
    assert_eq!(
        extract("find the cheapest hdmi cable and put two in my cart").quantity,
        Some(2)
    );
    assert_eq!(extract("and add 2 to my cart").quantity, Some(2));
    assert_eq!(extract("leg zwei in den warenkorb").quantity, Some(2));
    for none in [
        "2 tb ssd",
        "65 inch tv",
        "a tv stand for 2 to 5 in",
        "add 2 to 3 meter cables",
        "3 person tent",
        "fünf sterne für den service",
        "5 stars for the delivery",
        "i need 2 tb of storage",
        "the 313 wireless charger",
        "jbl charge 5 and a case",
        "die 2 euro mehr",
        "mein sohn wird 4 jahre alt",
        "hdmi cable 10 feet",
        "binoculars bigger than 10x",
        "a camera with 10x zoom",
    ] {
        assert_eq!(extract(none).quantity, None, "{none}");
    }
}

#[test]
fn references_to_shown_products() {
    assert_eq!(
        extract("das zweite in 42").reference,
        Some(Reference::Ordinal(2))
    );
    assert_eq!(extract("den letzten").reference, Some(Reference::Last));
    assert_eq!(
        extract("the first one").reference,
        Some(Reference::Ordinal(1))
    );
    assert_eq!(
        extract("I'll take that one").reference,
        Some(Reference::This)
    );
    assert_eq!(extract("nummer 3").reference, Some(Reference::Ordinal(3)));
    assert_eq!(extract("zeig mir jacken").reference, None);
}

#[test]
fn yes_and_no() {
    for y in [
        "ja",
        "Ja, genau!",
        "passt",
        "bestätigen",
        "yes",
        "ok",
        "sure",
        "yes please",
    ] {
        assert_eq!(extract(y).confirmation, Some(Confirmation::Yes), "{y}");
    }
    for n in ["nein", "abbrechen", "no", "cancel", "nein danke"] {
        assert_eq!(extract(n).confirmation, Some(Confirmation::No), "{n}");
    }
    assert_eq!(
        extract("ich suche eine jacke in schwarz für den winter bitte schnell").confirmation,
        None
    );
    // A yes-word late in a request is part of it; one that only confirms is not.
    assert_eq!(extract("eine hose die zu allem passt").confirmation, None);
    // What fits is asked, not said yes to.
    assert_eq!(
        extract("welcher arbeitsspeicher passt zum asus b550").confirmation,
        None
    );
    assert_eq!(extract("passt der zum b550").confirmation, None);
    assert_eq!(extract("what is ok for kids").confirmation, None);
    assert_eq!(
        extract("ich möchte die bestellung bestätigen").confirmation,
        Some(Confirmation::Yes)
    );
    assert_eq!(
        extract("ja das passt").confirmation,
        Some(Confirmation::Yes)
    );
    // A yes-word before a choice of another product is no yes: "ok dann den
    // leichteren" placed the pending order.
    for choice in [
        "ok dann den leichteren",
        "ok the lighter one then",
        "ja aber den zweiten",
        "ok the second one",
        "sure, the cheaper one",
        "ok lieber die günstigere",
        "yes but the other one instead",
    ] {
        assert_eq!(extract(choice).confirmation, None, "{choice}");
    }
    for y in [
        "ja bitte bestellen",
        "yes please place the order",
        "ok mach das",
        "ja, verbindlich bestellen",
        "yes go ahead",
        "okay order it",
        "yes order one",
    ] {
        assert_eq!(extract(y).confirmation, Some(Confirmation::Yes), "{y}");
    }
    // A question that opens with "do" says no yes.
    for q in [
        "do you guys sell air fryers",
        "do you have usb hubs",
        "do they fit",
    ] {
        assert_eq!(extract(q).confirmation, None, "{q}");
    }
    assert_eq!(extract("do it").confirmation, Some(Confirmation::Yes));
}

#[test]
fn order_ids() {
    assert_eq!(
        extract("wo bleibt meine bestellung 123456?")
            .order_id
            .as_deref(),
        Some("123456")
    );
    assert_eq!(
        extract("order #A-12345 hasn't arrived").order_id.as_deref(),
        Some("A-12345")
    );
    assert_eq!(extract("wo bleibt meine bestellung").order_id, None);
    assert_eq!(extract("größe 42").order_id, None);
}

#[test]
fn exclusions_name_what_to_leave_out() {
    assert_eq!(extract("Müsli ohne Zucker").exclude, vec!["zucker"]);
    assert_eq!(extract("boots, not leather").exclude, vec!["leather"]);
    assert!(extract("nicht mehr als 50 euro").exclude.is_empty());
    // Said without an apostrophe, as speech and quick typing arrive.
    assert_eq!(
        extract("a mouse that isnt wireless").exclude,
        vec!["wireless"]
    );
    // "non-slip", "non toxic" name a property: "slip" and "toxic" are in the
    // very titles asked for.
    assert!(extract("non-slip yoga mat").exclude.is_empty());
    assert!(extract("non toxic kids paint").exclude.is_empty());
    // No cable is no wired one, not no product whose text names a charging cable.
    assert_eq!(extract("a mouse without a cable").exclude, vec!["wired"]);
    assert_eq!(extract("maus ohne kabel").exclude, vec!["kabelgebunden"]);
    assert!(
        extract("nicht rot").exclude.is_empty(),
        "colours go to not_colors"
    );
}

#[test]
fn voice_transcripts_normalise() {
    assert_eq!(
        normalise("Ähm, ich brauche... also eine Jacke für 49,99 €!"),
        "ich brauche also eine jacke für 49,99 eur"
    );
    assert_eq!(normalise("uh under two hundred bucks"), "under 200 usd");
}

#[test]
fn a_price_order_said_as_an_order_is_its_superlative_first() {
    for (said, as_read) in [
        (
            "headphones under 100 dollars sorted by price",
            "headphones under 100 usd cheapest first",
        ),
        (
            "hdmi cables, order them by price",
            "hdmi cables cheapest first",
        ),
        (
            "speakers sorted by price from high to low",
            "speakers most expensive first",
        ),
        ("list them by price high to low", "most expensive first"),
        ("kameras price low to high", "kameras cheapest first"),
        (
            "hdmi kabel nach preis sortiert",
            "hdmi kabel cheapest first",
        ),
        ("sortiere sie nach preis absteigend", "most expensive first"),
        (
            "kopfhörer vom teuersten zum günstigsten",
            "kopfhörer most expensive first",
        ),
    ] {
        assert_eq!(normalise(said), as_read, "{said}");
    }
    // A price said otherwise is left alone.
    assert_eq!(
        normalise("what is the price of the first"),
        "what is the price of the first"
    );
    assert_eq!(normalise("the lowest price tv"), "the lowest price tv");
    // A wish for cheap ones is a page of them, cheapest first; a comparison and a
    // budget are not.
    for (said, as_read) in [
        ("a cheap projector", "a cheapest first projector"),
        ("affordable hdmi cable", "cheapest first hdmi cable"),
        ("einen günstigen beamer", "einen cheapest first beamer"),
        ("billige kopfhörer", "cheapest first kopfhörer"),
    ] {
        assert_eq!(normalise(said), as_read, "{said}");
    }
    for said in ["gibt es das günstiger", "my budget is 50 usd"] {
        assert_eq!(normalise(said), said);
    }
}

#[test]
fn every_ordinal_of_a_message_in_its_order() {
    assert_eq!(ordinals("compare the second and the fourth"), vec![2, 4]);
    assert_eq!(ordinals("vergleiche das erste mit dem dritten"), vec![1, 3]);
    assert_eq!(ordinals("compare the first two"), vec![1]);
}
