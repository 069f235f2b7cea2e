//! onshi-core's JPKI client sends exactly the scripted APDUs and reaches the scripted outcome.

use onshi_tests::card::{ScriptTransport, card_vectors, core_outcome, host_outcome, replay_card};

#[test]
fn core_follows_every_card_script() {
    let cases = card_vectors().len();
    assert!(
        cases >= 40,
        "the contract promises at least 40 card scripts, found {cases}"
    );
    let mismatches =
        replay_card(|case, transport: &mut ScriptTransport| core_outcome(case, transport));
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn the_json_host_procedure_follows_every_card_script() {
    let mismatches =
        replay_card(|case, transport: &mut ScriptTransport| host_outcome(case, transport));
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn a_wrong_command_is_caught() {
    let mut case = card_vectors().remove(0);
    case.exchanges[0].0 = "00A4040C0AD392F00026010000000002".into();
    let mut transport = ScriptTransport::new(&case);
    let _ = core_outcome(&case, &mut transport);
    assert_eq!(transport.mismatches.len(), 1);
}

#[test]
fn the_apdu_budget_holds() {
    // 6 APDUs with a known certificate; 13 with a certificate of up to 1,536 bytes; 14 at 1,573 bytes.
    for (name, budget) in [
        ("authenticate with the certificate known: 6 APDUs", 6),
        ("authenticate reading a 1536-byte certificate", 13),
        ("authenticate reading a 1200-byte certificate", 12),
        ("authenticate reading a 1573-byte certificate", 14),
    ] {
        let case = card_vectors()
            .into_iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no case {name}"));
        assert_eq!(case.exchanges.len(), budget, "{name}");
        let mut transport = ScriptTransport::new(&case);
        let _ = core_outcome(&case, &mut transport);
        assert!(
            transport.finished() && transport.mismatches.is_empty(),
            "{name}"
        );
    }
}
