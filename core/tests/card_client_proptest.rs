//! The JPKI client never panics and always ends, whatever a card (or a broken reader) answers.

use onshi_core::card::host::{HostProcedure, HostStep};
use proptest::prelude::*;

/// Responses: mostly plausible status words with data, sometimes arbitrary bytes.
fn response() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        (
            proptest::collection::vec(any::<u8>(), 0..260),
            prop_oneof![
                Just([0x90u8, 0x00]),
                Just([0x63, 0xC0]),
                Just([0x63, 0xC1]),
                Just([0x63, 0xC3]),
                Just([0x69, 0x84]),
                Just([0x69, 0x82]),
                Just([0x6B, 0x00]),
                Just([0x62, 0x82]),
                any::<[u8; 2]>(),
            ]
        )
            .prop_map(|(mut data, sw)| {
                data.extend_from_slice(&sw);
                data
            }),
    ]
}

fn procedure() -> impl Strategy<Value = (&'static str, &'static str)> {
    prop_oneof![
        Just(("probe", "")),
        Just(("read_certificate", "")),
        Just((
            "authenticate",
            r#"{"pin":"1234","challenge":"00","last_try":"allow"}"#
        )),
        Just((
            "authenticate",
            r#"{"pin":"1234","challenge":"00","certificate":"known"}"#
        )),
        Just(("read_basic_info", r#"{"pin":"1234"}"#)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_responses_end_the_procedure_without_panic(
        (name, input) in procedure(),
        responses in proptest::collection::vec(response(), 0..200),
    ) {
        let mut p = HostProcedure::new(name, input).unwrap_or_else(|e| panic!("{e}"));
        let mut step = p.next(None);
        let mut sent = 0usize;
        for r in &responses {
            match step {
                HostStep::Done(outcome) => {
                    prop_assert!(outcome.starts_with("{\""), "outcome is not JSON");
                    return Ok(());
                }
                HostStep::Send(command) => {
                    // Short APDUs only: header, Lc + at most 255 data bytes, Le.
                    prop_assert!(command.len() <= 4 + 1 + 255 + 1);
                    sent += 1;
                    step = p.next(Some(r));
                }
            }
        }
        // Out of scripted responses: the procedure may still want more, but never more than a
        // certificate of 32 KB needs (SELECTs + 128 reads + PIN and signature steps).
        prop_assert!(sent <= 200);
    }
}
