use super::*;

#[test]
fn the_builtin_examples_match_the_schema() {
    let p = ExtractPrompt::builtin();
    assert!(p.examples.len() >= 6);
    assert!(validate(
        &json!({"intent": "buy", "product_type": null, "attributes": [], "brand": null})
    )
    .is_err());
}

#[test]
fn the_builtin_ideas_examples_match_their_schema() {
    let p = ExtractPrompt::builtin();
    assert!(p.ideas_examples.len() >= 4);
    assert!(p
        .ideas_examples
        .iter()
        .any(|(_, a)| a["products"] == json!([])));
    assert!(validate_ideas(&json!({"products": ["gloves", "scarf"]})).is_ok());
    for bad in [
        json!({"products": ["a", "b", "c", "d"]}),
        json!({"products": [1]}),
        json!({"products": ["gloves"], "intent": "search"}),
        json!({"ideas": ["gloves"]}),
    ] {
        assert!(validate_ideas(&bad).is_err(), "{bad}");
    }
}

#[test]
fn a_broken_ideas_file_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("ideas")).unwrap();
    std::fs::write(
        dir.path().join("ideas/examples.jsonl"),
        "{\"user\": \"x\", \"assistant\": {\"products\": []}}\n{\"user\": \"y\", \"assistant\": {\"products\": \"gloves\"}}\n",
    )
    .unwrap();
    let e = ExtractPrompt::load(Some(dir.path())).unwrap_err();
    assert!(e.contains("ideas/examples.jsonl line 2"), "{e}");
    // The extraction's own files fall back to the built-in copies.
    std::fs::write(
        dir.path().join("ideas/examples.jsonl"),
        "{\"user\": \"x\", \"assistant\": {\"products\": [\"gloves\"]}}\n",
    )
    .unwrap();
    let p = ExtractPrompt::load(Some(dir.path())).unwrap();
    assert_eq!(p.ideas_examples.len(), 1);
    assert_eq!(p.examples.len(), ExtractPrompt::builtin().examples.len());
}

#[test]
fn llm_values_need_the_shoppers_words() {
    let reading = LlmReading {
        intent: Some(Intent::Search),
        product_type: Some("Wintermantel".into()),
        attributes: vec!["wasserdicht".into(), "blue".into(), "leicht".into()],
        brand: Some("Nike".into()),
    };
    let text = "ich brauche einen wasserdichten wintermantel unter 200 euro";
    let (lang, n, slots, rule) = read_rules(text, Language::De);
    let u = merge(lang, n, slots, rule, Some(reading));
    // The rules' product words win: they keep "wasserdichten" for the ranking.
    assert_eq!(
        u.product_type.as_deref(),
        Some("wasserdichten wintermantel")
    );
    assert_eq!(u.sources["product_type"], Source::Rules);

    assert_eq!(u.attributes, vec!["wasserdicht"]);
    assert_eq!(u.brand, None, "nike was never said");
    assert!(u.dropped.iter().any(|d| d.value == "blue"));
    assert!(u.dropped.iter().any(|d| d.value == "leicht"));
    assert_eq!(u.slots.price.unwrap().max, Some(20000));
    assert_eq!(u.sources["price"], Source::Rules);
}

#[test]
fn an_llm_action_without_the_shoppers_words_is_a_search() {
    let reading = LlmReading {
        intent: Some(Intent::AddToCart),
        ..Default::default()
    };
    let text = "wasserdichte jacke";
    let (lang, n, slots, rule) = read_rules(text, Language::De);
    assert_eq!(rule, None);
    let u = merge(lang, n, slots, rule, Some(reading));
    assert_eq!(u.intent, Intent::Search);
    assert_eq!(u.sources["intent"], Source::Default);
}

#[test]
fn clear_turns_do_not_ask_the_model() {
    for t in ["ja", "das zweite in 42", "unter 50 euro"] {
        let u = understand(t, Language::De, None);
        assert!(!u.used_llm);
        assert_eq!(u.sources["intent"], Source::Rules, "{t}");
    }
}

#[test]
fn without_a_model_product_words_come_from_the_rules() {
    let u = understand(
        "Ich suche einen wasserdichten Wintermantel unter 200 €",
        Language::De,
        None,
    );
    assert_eq!(u.intent, Intent::Search);
    assert_eq!(
        u.product_type.as_deref(),
        Some("wasserdichten wintermantel")
    );
}

#[test]
fn a_request_naming_a_person_is_searched_by_what_it_says_of_them() {
    let words = |t: &str| rule_product_words(t, &RuleSlots::default());
    assert_eq!(
        words("a gift for my dad who loves hiking").as_deref(),
        Some("hiking")
    );
    assert_eq!(
        words("ein geschenk für meinen sohn er mag fußball").as_deref(),
        Some("fußball")
    );
    // Without a person or an occasion, "gift" is a word of the product.
    assert_eq!(words("gift box").as_deref(), Some("gift box"));
}
