//! onshi-core answers every identifier vector as the contract says.

#[test]
fn core_answers_every_identifier_vector() {
    let cases = onshi_tests::id_vectors().cases.len();
    assert!(
        cases >= 300,
        "the contract promises at least 300 cases, found {cases}"
    );
    let mismatches = onshi_tests::replay_ids(onshi_tests::core_answer);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn every_identifier_kind_has_vectors() {
    let vectors = onshi_tests::id_vectors();
    for kind in onshi_core::ids::IdentifierKind::ALL {
        let n = vectors
            .cases
            .iter()
            .filter(|c| c.kind == kind.code())
            .count();
        assert!(n >= 10, "{} has only {n} vectors", kind.code());
    }
}
