//! Reading a hand-written 一括照会結果 (`OQSmuquc02res`) in both encodings: whole, streamed, and
//! through its file name.

use onshi_core::codes::{
    CharacterCode, LimitCertificateChanged, ProcessingResultStatus, QualificationValidity,
    ReasonOfLoss,
};
use onshi_core::oqs::{
    BulkFunction, BulkResultReader, InsuredKey, Message, XmlEncoding, read_bulk_result,
    read_message,
};
use time::macros::{date, datetime};

const UTF8: &[u8] = include_bytes!("../../tests/vectors/oqs/bulk_result.utf8.xml");
const SJIS: &[u8] = include_bytes!("../../tests/vectors/oqs/bulk_result.sjis.xml");

#[test]
fn both_encodings_read_the_same() {
    let a = read_bulk_result(UTF8).unwrap();
    let mut b = read_bulk_result(SJIS).unwrap();
    assert_eq!(a.header.character_code, Some(CharacterCode::Utf8));
    assert_eq!(b.header.character_code, Some(CharacterCode::ShiftJis));
    b.header.character_code = a.header.character_code;
    assert_eq!(a, b);
}

#[test]
fn the_header_counts_and_every_unit() {
    let r = read_bulk_result(SJIS).unwrap();
    let h = &r.header;
    assert_eq!(h.processed_at, Some(datetime!(2026-11-21 10:15:02)));
    assert_eq!(h.reception_number.as_deref(), Some("2026112100000042"));
    assert_eq!(
        (h.processed_count, h.normal_count, h.error_count),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(r.units.len(), 3);

    let first = &r.units[0];
    let Some(InsuredKey::Insurance { insurer, .. }) = first.search.as_ref().map(|s| &s.key) else {
        panic!("the echo names the insurance card");
    };
    assert_eq!(insurer.to_xml_field(), "  131011");
    assert_eq!(
        first
            .search
            .as_ref()
            .unwrap()
            .arbitrary_identifier
            .as_deref(),
        Some("カルテ0001")
    );
    assert_eq!(
        first.qualification_validity,
        Some(QualificationValidity::Valid)
    );
    assert_eq!(first.reference_number.as_deref(), Some("K000123"));
    let entry = &first.results[0];
    assert_eq!(entry.qualification.name, "髙橋 﨑子");
    assert_eq!(entry.qualification.name_kana.as_deref(), Some("ﾀｶﾊｼ ｻｷｺ"));
    assert_eq!(
        entry.limit_certificate_changed,
        Some(LimitCertificateChanged::ChangedOrUnknown)
    );

    let error = &r.units[1];
    assert_eq!(
        error.processing_result_status,
        Some(ProcessingResultStatus::Error)
    );
    assert_eq!(error.processing_result_code.as_deref(), Some("EOQS0001"));
    assert!(error.results.is_empty());

    let lost = &r.units[2].results[0].qualification;
    assert_eq!(
        r.units[2].qualification_validity,
        Some(QualificationValidity::InvalidNewQualification)
    );
    assert_eq!(lost.disqualification_date, Some(date!(2026 - 10 - 01)));
    assert_eq!(lost.reason_of_loss, Some(ReasonOfLoss::Other));

    assert_eq!(
        r.unknown_elements,
        ["XmlMsg/MessageBody/BulkConfirmUnit/BulkOnlyElementFromANewerVersion"]
    );
}

#[test]
fn streamed_unit_by_unit_through_a_small_buffer() {
    for bytes in [UTF8, SJIS] {
        let whole = read_bulk_result(bytes).unwrap();
        let reader = BulkResultReader::new(std::io::BufReader::with_capacity(16, bytes)).unwrap();
        let units: Vec<_> = reader.map(|u| u.unwrap()).collect();
        assert_eq!(units, whole.units);
    }
}

#[test]
fn read_by_file_name_and_written_back_identically() {
    let Message::BulkResult { function, result } =
        read_message("OQSmuquc02res_202611210001.xml", SJIS).unwrap()
    else {
        panic!("02res of quc is a bulk result");
    };
    assert_eq!(function, BulkFunction::Qualification);
    for encoding in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
        let again = read_bulk_result(&result.to_xml(encoding).unwrap()).unwrap();
        assert!(again.unknown_elements.is_empty());
        assert_eq!(again.units, result.units);
    }
}
