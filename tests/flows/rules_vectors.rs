//! onshi-core answers every rule vector as the contract says.

#[test]
fn core_answers_every_rule_vector() {
    let cases = onshi_tests::rule_vectors().len();
    assert!(
        cases >= 400,
        "the contract promises at least 400 rule cases, found {cases}"
    );
    let mismatches = onshi_tests::replay_rules(onshi_core::api::call);
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn every_rule_has_vectors() {
    let cases = onshi_tests::rule_vectors();
    for rule in onshi_core::api::RULES {
        let n = cases.iter().filter(|c| c.rule == rule).count();
        assert!(n >= 10, "{rule} has only {n} vectors");
    }
}

#[test]
fn a_wrong_answer_is_caught() {
    let case = &onshi_tests::rule_vectors()[0];
    assert!(!onshi_tests::rule_answer_matches(
        &case.expect,
        r#"{"ok":{"label":"違う"}}"#
    ));
    assert!(!onshi_tests::rule_answer_matches(&case.expect, "not json"));
}
