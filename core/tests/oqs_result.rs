//! Reading 資格確認結果 files written by hand, in both encodings: a face result with 限度額,
//! 高齢受給者証, consent flags, an unknown newer element and a 医療扶助 result with a 医療券.

use onshi_core::codes::{
    ConsentInformationKind, ConsentStatus, LimitCategory, SegmentOfResult, SingleOrCombinedUse,
};
use onshi_core::oqs::{OqsError, read_qualification_result};
use time::macros::{date, datetime};

const UTF8: &[u8] = include_bytes!("../../tests/vectors/oqs/face_medaid_limit.utf8.xml");
const SJIS: &[u8] = include_bytes!("../../tests/vectors/oqs/face_medaid_limit.sjis.xml");

#[test]
fn both_encodings_read_the_same() {
    let a = read_qualification_result(UTF8).unwrap();
    let mut b = read_qualification_result(SJIS).unwrap();
    assert_ne!(a.header.character_code, b.header.character_code);
    b.header.character_code = a.header.character_code;
    assert_eq!(a, b);
}

#[test]
fn the_face_result_has_every_block() {
    let r = read_qualification_result(SJIS).unwrap();
    assert_eq!(r.header.segment_of_result, SegmentOfResult::Completed);
    assert_eq!(r.header.institution.as_str(), "1361234568");
    let body = r.body.unwrap();
    let insurance = &body.results[0];
    let q = &insurance.qualification;
    assert_eq!(
        q.insurer_number.as_ref().unwrap().to_xml_field(),
        "  131011"
    );
    assert_eq!(q.name, "髙橋 﨑子");
    assert_eq!(q.name_kana.as_deref(), Some("ﾀｶﾊｼ ｻｷｺ"));
    assert_eq!(q.birthdate, date!(1955 - 07 - 10));
    assert_eq!(
        q.limit_certificate.as_ref().unwrap().category,
        LimitCategory::LowIncome2
    );
    assert_eq!(q.elderly_recipient.as_ref().unwrap().copay_ratio.0, 20);
    assert_eq!(insurance.reference_number.as_deref(), Some("K000123"));
    let pharmacy = &insurance.consents[1];
    assert_eq!(
        (pharmacy.kind, pharmacy.status),
        (ConsentInformationKind::Medication, ConsentStatus::Consented)
    );
    assert_eq!(
        pharmacy.available_until,
        Some(datetime!(2026-11-22 09:30:00))
    );
    assert_eq!(insurance.consents[0].status, ConsentStatus::NoConsent);

    let aid = body.results[1]
        .qualification
        .medical_assistance
        .as_ref()
        .unwrap();
    assert_eq!(aid.payer.as_ref().unwrap().as_str(), "12130019");
    assert_eq!(aid.welfare_office_name, "千代田区福祉事務所");
    assert_eq!(
        aid.tickets[0].single_or_combined,
        SingleOrCombinedUse::Combined
    );
    assert_eq!(aid.tickets[0].month, date!(2026 - 11 - 01));

    assert_eq!(
        r.unknown_elements,
        [
            "XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation/FutureElementFromANewerVersion"
        ]
    );
}

#[test]
fn a_missing_required_element_or_bad_code_names_the_path_and_value() {
    let text = std::str::from_utf8(UTF8).unwrap();
    let missing = text.replace("<SegmentOfResult>1</SegmentOfResult>", "");
    assert_eq!(
        read_qualification_result(missing.as_bytes()),
        Err(OqsError::Missing {
            path: "XmlMsg/MessageHeader/SegmentOfResult".to_owned()
        })
    );
    let bad = text.replace(
        "<QualificationValidity>1</QualificationValidity>",
        "<QualificationValidity>7</QualificationValidity>",
    );
    let Err(OqsError::Invalid { path, value, .. }) = read_qualification_result(bad.as_bytes())
    else {
        panic!("a code outside OQSCD006 must be refused");
    };
    assert_eq!(
        (path.as_str(), value.as_str()),
        ("XmlMsg/MessageBody/QualificationValidity", "7")
    );
    let personal = text.replace(
        "<BeneficiaryNumber>1234566</BeneficiaryNumber>",
        "<BeneficiaryNumber>1234567</BeneficiaryNumber>",
    );
    let Err(e) = read_qualification_result(personal.as_bytes()) else {
        panic!("bad check digit accepted")
    };
    assert!(
        !e.to_string().contains("1234567"),
        "personal values are not echoed: {e}"
    );
}

#[test]
fn an_aborted_file_needs_no_body() {
    let aborted = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader>\
        <MedicalInstitutionCode>1361234568</MedicalInstitutionCode><SegmentOfResult>9</SegmentOfResult>\
        <ErrorCode>E001</ErrorCode><ErrorMessage>システムエラー</ErrorMessage></MessageHeader></XmlMsg>";
    let r = read_qualification_result(aborted.as_bytes()).unwrap();
    assert_eq!(r.header.error_code.as_deref(), Some("E001"));
    assert!(r.body.is_none());
}

#[test]
fn written_results_read_back_the_same_in_both_encodings() {
    use onshi_core::oqs::XmlEncoding;
    let original = read_qualification_result(UTF8).unwrap();
    for encoding in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
        let bytes = original.to_xml(encoding).unwrap();
        let mut again = read_qualification_result(&bytes).unwrap();
        assert!(
            again.unknown_elements.is_empty(),
            "onshi writes only elements it knows"
        );
        again.unknown_elements = original.unknown_elements.clone();
        again.header.character_code = original.header.character_code;
        assert_eq!(again, original);
    }
}
