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
    assert!(
        validate_ideas(&json!({"english": "cold hands", "products": ["gloves", "scarf"]})).is_ok()
    );
    for bad in [
        // Asked only about a search for what fits: one idea at least.
        json!({"english": "cold hands", "products": []}),
        json!({"english": "cold hands", "products": ["a", "b", "c", "d"]}),
        json!({"english": "cold hands", "products": [1]}),
        json!({"english": "cold hands", "products": ["gloves"], "intent": "search"}),
        json!({"english": "cold hands", "ideas": ["gloves"]}),
        // The message in English comes first.
        json!({"products": ["gloves"]}),
        json!({"english": "", "products": ["gloves"]}),
    ] {
        assert!(validate_ideas(&bad).is_err(), "{bad}");
    }
}

#[test]
fn the_shops_choose_system_text_replaces_the_builtin_one() {
    let dir = tempfile::tempdir().unwrap();
    assert!(ExtractPrompt::builtin().choose_system.contains("shopper"));
    std::fs::create_dir_all(dir.path().join("choose")).unwrap();
    std::fs::write(
        dir.path().join("choose/system.txt"),
        "  Name the best product.\n",
    )
    .unwrap();
    let p = ExtractPrompt::load(Some(dir.path())).unwrap();
    assert_eq!(p.choose_system, "Name the best product.");
    // Its examples are answered as the judgement reads a type: by name, closed.
    assert!(!p.choose_examples.is_empty());
    std::fs::write(
        dir.path().join("choose/examples.jsonl"),
        "{\"user\": \"I keep losing my keys\", \"assistant\": \"Key finder\"}\n",
    )
    .unwrap();
    let p = ExtractPrompt::load(Some(dir.path())).unwrap();
    assert_eq!(
        p.choose_examples,
        [(
            "I keep losing my keys".to_string(),
            serde_json::json!("The best fitting product: Key finder.")
        )]
    );
    for bad in [
        "{\"user\": \"x\", \"assistant\": {\"products\": [\"a\"]}}",
        "{\"user\": \"x\", \"assistant\": \"Key finder.\"}",
        "{\"user\": \"x\", \"assistant\": \"\"}",
    ] {
        std::fs::write(
            dir.path().join("choose/examples.jsonl"),
            format!("\n{bad}\n"),
        )
        .unwrap();
        let e = ExtractPrompt::load(Some(dir.path())).unwrap_err();
        assert!(e.contains("choose/examples.jsonl line 2"), "{e}");
    }
}

#[test]
fn a_broken_ideas_file_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("ideas")).unwrap();
    std::fs::write(
        dir.path().join("ideas/examples.jsonl"),
        "{\"user\": \"x\", \"assistant\": {\"english\": \"xyz\", \"products\": [\"gloves\"]}}\n{\"user\": \"y\", \"assistant\": {\"english\": \"yyy\", \"products\": []}}\n",
    )
    .unwrap();
    let e = ExtractPrompt::load(Some(dir.path())).unwrap_err();
    assert!(e.contains("ideas/examples.jsonl line 2"), "{e}");
    // The extraction's own files fall back to the built-in copies.
    std::fs::write(
        dir.path().join("ideas/examples.jsonl"),
        "{\"user\": \"x\", \"assistant\": {\"english\": \"xyz\", \"products\": [\"gloves\"]}}\n",
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
fn a_container_and_the_word_colored_are_no_product_words() {
    let words = |t: &str| {
        let u = understand(t, Language::En, None);
        u.product_type
    };
    assert_eq!(
        words("the biggest bottle of shampoo").as_deref(),
        Some("biggest shampoo")
    );
    assert_eq!(words("a sand colored sofa").as_deref(), Some("sofa"));
    // A bottle alone is the thing.
    assert_eq!(words("travel bottles").as_deref(), Some("travel bottles"));
}

#[test]
fn a_model_is_a_product_word_and_a_number_with_its_unit_is_not() {
    let words = |t: &str| rule_product_words(t, &RuleSlots::default());
    // A bare model is a search, not a question of what to look for.
    assert_eq!(words("i5-13600k").as_deref(), Some("i5-13600k"));
    assert_eq!(words("ryzen 9 5900x").as_deref(), Some("ryzen 5900x"));
    assert_eq!(words("ps4 controller").as_deref(), Some("ps4 controller"));
    // Quantities, factors, ordinals, sizes and option values are not.
    assert_eq!(
        words("hdmi cable 20ft 2x 2nd 3xl").as_deref(),
        Some("hdmi cable")
    );
    assert_eq!(words("shirt color a3-army").as_deref(), Some("shirt"));
    assert!(model_like("a25") && model_like("rtx4060"));
    assert!(!model_like("16gb") && !model_like("4k") && !model_like("3er"));
    assert!(!model_like("0g") && model_like("8a") && model_like("5900x"));
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

#[test]
fn a_gift_is_read_with_its_person_age_occasion_and_whether_it_says_what_they_like() {
    let gift = |t: &str| understand(t, Language::De, None).gift;
    let g = gift("ein Geschenk für meine Tochter, sie spielt gern Fußball").unwrap();
    assert_eq!(g.recipient.as_deref(), Some("tochter"));
    assert_eq!(g.occasion.as_deref(), Some("geschenk"));
    assert!(g.interests);
    let g = gift("Geschenkidee für meinen Vater").unwrap();
    assert_eq!(g.recipient.as_deref(), Some("vater"));
    assert!(!g.interests, "{g:?}");
    let g = gift("a birthday present for my nephew he turns eight").unwrap();
    assert_eq!(g.recipient.as_deref(), Some("nephew"));
    assert_eq!(g.occasion.as_deref(), Some("birthday"));
    assert_eq!(g.age, Some(8));
    assert!(!g.interests, "{g:?}");
    let g = gift("something for my 5 year old son who loves trains").unwrap();
    assert_eq!(g.age, Some(5));
    assert!(g.interests);
    assert_eq!(
        gift("mein Sohn wird 8 und mag Dinosaurier").and_then(|g| g.age),
        Some(8)
    );
    // No person and no occasion, or no need at all: no gift.
    assert_eq!(gift("mir ist beim Radfahren kalt an den Händen"), None);
    assert_eq!(gift("gift box"), None);
    assert_eq!(gift("Laufschuhe in Größe 42"), None);
}

#[test]
fn a_german_superlative_before_a_masculine_noun_sorts() {
    // "günstigster Kopfhörer" was searched as a word and shown unsorted.
    for t in [
        "günstigster kopfhörer",
        "billigster toaster",
        "teuerster fernseher",
    ] {
        assert!(crate::nlu::rules::says_superlative(t), "{t}");
    }
    let words = |t: &str| rule_product_words(t, &RuleSlots::default());
    assert_eq!(words("günstigster kopfhörer").as_deref(), Some("kopfhörer"));
}
