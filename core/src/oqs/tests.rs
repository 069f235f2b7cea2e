//! Every message written from known values (insta snapshots, reviewed by hand against
//! oqs-interface.md §3), and the streaming reader and writer against the in-memory ones.

use time::macros::{date, datetime};

use super::*;
use crate::codes::{
    LimitCertificateChanged, LimitCertificateConsent, MedicalTreatmentFlag, ProcessingResultStatus,
    QualificationValidity, SegmentOfResult,
};

const FACE: &[u8] = include_bytes!("../../../tests/vectors/oqs/face_medaid_limit.utf8.xml");

fn text(bytes: &[u8]) -> String {
    decode_xml(bytes).unwrap().0
}

fn institution() -> crate::ids::MedicalInstitutionCode {
    "1361234568".parse().unwrap()
}

fn insurance_key() -> InsuredKey {
    InsuredKey::Insurance {
        insurer: "131011".parse().unwrap(),
        symbol: Some("北ア".parse().unwrap()),
        number: "222222".parse().unwrap(),
        branch: Some("00".parse().unwrap()),
    }
}

fn medaid_key() -> InsuredKey {
    InsuredKey::MedicalAid {
        payer: "12130019".parse().unwrap(),
        beneficiary: "1234566".parse().unwrap(),
    }
}

fn header(segment: SegmentOfResult) -> ResponseHeader {
    ResponseHeader {
        processed_at: Some(datetime!(2026-11-21 09:30:15)),
        confirmation_date: Some(date!(2026 - 11 - 21)),
        arbitrary_file_identifier: Some("onshi-0002".to_owned()),
        reception_number: Some("R20261121000123".to_owned()),
        ..ResponseHeader::new(institution(), segment)
    }
}

fn search(key: InsuredKey, id: &str) -> SearchInfo {
    SearchInfo {
        key,
        birthdate: date!(1955 - 07 - 10),
        limit_consent: Some(LimitCertificateConsent::Consented),
        arbitrary_identifier: Some(id.to_owned()),
    }
}

pub(super) fn bulk_result() -> BulkResult {
    let face = read_qualification_result(FACE).unwrap();
    let mut entries = face.body.unwrap().results;
    entries[0].limit_certificate_changed = Some(LimitCertificateChanged::Unchanged);
    let ok = BulkConfirmUnit {
        search: Some(search(insurance_key(), "K000123")),
        processing_result_status: Some(ProcessingResultStatus::Completed),
        processing_result_code: None,
        processing_result_message: None,
        qualification_validity: Some(QualificationValidity::Valid),
        results: entries,
        reference_number: Some("K000123".to_owned()),
    };
    let error = BulkConfirmUnit {
        search: Some(search(medaid_key(), "K000124")),
        processing_result_status: Some(ProcessingResultStatus::Error),
        processing_result_code: Some("E1001".to_owned()),
        processing_result_message: Some("該当する資格がありません & <確認>".to_owned()),
        qualification_validity: Some(QualificationValidity::NotFound),
        results: Vec::new(),
        reference_number: None,
    };
    BulkResult {
        header: ResponseHeader {
            processed_count: Some(2),
            normal_count: Some(1),
            error_count: Some(1),
            character_code: Some(crate::codes::CharacterCode::Utf8),
            ..header(SegmentOfResult::Completed)
        },
        status: None,
        units: vec![ok, error],
        unknown_elements: Vec::new(),
    }
}

fn registration() -> RegistrationInfo {
    RegistrationInfo {
        reference_number: "K000123".to_owned(),
        key: insurance_key(),
    }
}

fn medication_result() -> MedicalInfoResult {
    MedicalInfoResult {
        kind: crate::codes::MedicalInformationKind::Medication,
        result_code: Some("1".to_owned()),
        message_contents: None,
        person: Some(MedicalInfoPerson {
            name: Some("髙橋 﨑子".to_owned()),
            kana_name: Some("ﾀｶﾊｼ ｻｷｺ".to_owned()),
            birth: Some("19550710".to_owned()),
            gender_code: Some("2".to_owned()),
        }),
        medication: vec![MedicationMonth {
            leaves: MonthLeaves {
                institution_code: Some("1361234568".to_owned()),
                institution_name: Some("霞が関薬局".to_owned()),
                month: Some("202610".to_owned()),
                in_out: Some("2".to_owned()),
                ..MonthLeaves::default()
            },
            days: vec![MedicationDay {
                dispensed_on: Some("20261005".to_owned()),
                prescribed_on: Some("20261005".to_owned()),
                drugs: vec![Drug {
                    code: Some("620000001".to_owned()),
                    name: Some("アムロジピン錠５ｍｇ".to_owned()),
                    quantity: Some("1".to_owned()),
                    unit: Some("錠".to_owned()),
                    usage: Some("1日1回朝食後".to_owned()),
                    times: Some("28".to_owned()),
                    ..Drug::default()
                }],
                treatments: vec![Treatment {
                    code: Some("113001810".to_owned()),
                    name: Some("特定疾患療養管理料".to_owned()),
                }],
            }],
        }],
        checkups: Vec::new(),
        unknown_elements: Vec::new(),
    }
}

fn checkup_result() -> MedicalInfoResult {
    MedicalInfoResult {
        kind: crate::codes::MedicalInformationKind::HealthCheckups,
        result_code: Some("1".to_owned()),
        message_contents: None,
        person: Some(MedicalInfoPerson {
            name: Some("髙橋 﨑子".to_owned()),
            kana_name: Some("ﾀｶﾊｼ ｻｷｺ".to_owned()),
            birth: Some("19550710".to_owned()),
            gender_code: Some("2".to_owned()),
        }),
        medication: Vec::new(),
        checkups: vec![HealthCheckup {
            effective_time: Some("20260615".to_owned()),
            items: vec![CheckupItem {
                item_code: Some("9N001000000000001".to_owned()),
                item_name: Some("身長".to_owned()),
                data_type: Some("PQ".to_owned()),
                data_value: Some("152.3".to_owned()),
                unit: Some("cm".to_owned()),
                oid: Some("1.2.392.200119.6.1005".to_owned()),
                data_value_name: None,
            }],
        }],
        unknown_elements: Vec::new(),
    }
}

/// One known value of every message kind.
pub(super) fn every_message() -> Vec<(&'static str, Message)> {
    let qualification_request = QualificationRequest {
        confirmation_date: date!(2026 - 11 - 21),
        institution: institution(),
        arbitrary_file_identifier: Some("onshi-0001".to_owned()),
        insurer: "131011".parse().unwrap(),
        symbol: Some("北ア".parse().unwrap()),
        number: "222222".parse().unwrap(),
        branch: Some("00".parse().unwrap()),
        birthdate: date!(1955 - 07 - 10),
        limit_consent: LimitCertificateConsent::Consented,
        arbitrary_identifier: None,
    };
    let mut face = read_qualification_result(FACE).unwrap();
    face.unknown_elements.clear();
    face.header.character_code = Some(crate::codes::CharacterCode::Utf8);
    let registration_outcome = RegistrationOutcome {
        info: Some(registration()),
        result: ProcessingResult {
            status: ProcessingResultStatus::Completed,
            code: None,
            message: None,
        },
    };
    let failed_registration = RegistrationOutcome {
        info: Some(RegistrationInfo {
            reference_number: "K000124".to_owned(),
            key: medaid_key(),
        }),
        result: ProcessingResult {
            status: ProcessingResultStatus::Error,
            code: Some("E2001".to_owned()),
            message: Some("照会番号が重複しています".to_owned()),
        },
    };
    let with_utf8 = |mut h: ResponseHeader| {
        h.character_code = Some(crate::codes::CharacterCode::Utf8);
        h
    };
    let registration_result = ReferenceNumberResult {
        header: with_utf8(ResponseHeader {
            reception_number: None,
            ..header(SegmentOfResult::Completed)
        }),
        body: Some(registration_outcome.clone()),
        unknown_elements: Vec::new(),
    };
    vec![
        (
            "qualification_request",
            Message::QualificationRequest(qualification_request),
        ),
        ("qualification_result", Message::QualificationResult(face)),
        (
            "reference_number_request",
            Message::ReferenceNumberRequest(ReferenceNumberRequest {
                institution: institution(),
                arbitrary_file_identifier: Some("onshi-0003".to_owned()),
                info: registration(),
            }),
        ),
        (
            "reference_number_result",
            Message::ReferenceNumberResult(registration_result),
        ),
        (
            "bulk_qualification_request",
            Message::BulkQualificationRequest(BulkQualificationRequest {
                confirmation_date: date!(2026 - 11 - 21),
                institution: institution(),
                arbitrary_file_identifier: Some("onshi-0004".to_owned()),
                persons: vec![
                    search(insurance_key(), "K000123"),
                    SearchInfo {
                        limit_consent: None,
                        arbitrary_identifier: None,
                        ..search(medaid_key(), "")
                    },
                ],
            }),
        ),
        (
            "bulk_reference_number_request",
            Message::BulkReferenceNumberRequest(BulkReferenceNumberRequest {
                institution: institution(),
                arbitrary_file_identifier: None,
                entries: vec![
                    registration(),
                    RegistrationInfo {
                        reference_number: "K000124".to_owned(),
                        key: medaid_key(),
                    },
                ],
            }),
        ),
        (
            "medical_aid_bulk_request",
            Message::MedicalAidBulkRequest(MedicalAidBulkRequest {
                institution: institution(),
                arbitrary_file_identifier: Some("onshi-0005".to_owned()),
                month: date!(2026 - 11 - 01),
            }),
        ),
        (
            "consented_bulk_request_home_visit",
            Message::ConsentedBulkRequest(ConsentedBulkRequest {
                institution: institution(),
                arbitrary_file_identifier: Some("onshi-0006".to_owned()),
                setting: ConsentedSetting::HomeVisit,
                basis: PeriodBasis::Consent,
                from: date!(2026 - 11 - 01),
                to: date!(2026 - 11 - 30),
            }),
        ),
        (
            "consented_bulk_request_online",
            Message::ConsentedBulkRequest(ConsentedBulkRequest {
                institution: institution(),
                arbitrary_file_identifier: None,
                setting: ConsentedSetting::Online,
                basis: PeriodBasis::Examination,
                from: date!(2026 - 11 - 01),
                to: date!(2026 - 11 - 21),
            }),
        ),
        (
            "upload_result",
            Message::UploadResult {
                function: BulkFunction::Qualification,
                result: UploadResult {
                    header: with_utf8(ResponseHeader {
                        confirmation_date: None,
                        ..header(SegmentOfResult::Completed)
                    }),
                    body: Some(ProcessingResult {
                        status: ProcessingResultStatus::Completed,
                        code: None,
                        message: None,
                    }),
                    unknown_elements: Vec::new(),
                },
            },
        ),
        (
            "download_request",
            Message::DownloadRequest {
                function: BulkFunction::MedicalAidTickets,
                request: DownloadRequest {
                    institution: institution(),
                    reception_number: "R20261121000123".to_owned(),
                },
            },
        ),
        (
            "bulk_result",
            Message::BulkResult {
                function: BulkFunction::Qualification,
                result: bulk_result(),
            },
        ),
        (
            "bulk_result_processing",
            Message::BulkResult {
                function: BulkFunction::HomeVisit,
                result: BulkResult {
                    header: with_utf8(header(SegmentOfResult::Processing)),
                    status: None,
                    units: Vec::new(),
                    unknown_elements: Vec::new(),
                },
            },
        ),
        (
            "bulk_registration_result",
            Message::BulkRegistrationResult(BulkRegistrationResult {
                header: with_utf8(ResponseHeader {
                    processed_count: Some(2),
                    normal_count: Some(1),
                    error_count: Some(1),
                    ..header(SegmentOfResult::Completed)
                }),
                status: Some(ProcessingResult {
                    status: ProcessingResultStatus::Completed,
                    code: None,
                    message: None,
                }),
                units: vec![registration_outcome, failed_registration],
                unknown_elements: Vec::new(),
            }),
        ),
        (
            "medication_request",
            Message::MedicalInfoRequest(MedicalInfoRequest {
                institution: institution(),
                insurer: "131011".parse().unwrap(),
                symbol: Some("北ア".parse().unwrap()),
                number: "222222".parse().unwrap(),
                branch: Some("00".parse().unwrap()),
                arbitrary_file_identifier: Some("onshi-0007".to_owned()),
                query: MedicalInfoQuery::Medication {
                    start_date: Some(date!(2026 - 08 - 01)),
                    end_date: Some(date!(2026 - 11 - 21)),
                    file_category: MedicationFile::Xml,
                },
                classification: Some("1".to_owned()),
                treatment: MedicalTreatmentFlag::Outpatient,
            }),
        ),
        (
            "checkup_request",
            Message::MedicalInfoRequest(MedicalInfoRequest {
                institution: institution(),
                insurer: "01130012".parse().unwrap(),
                symbol: None,
                number: "111111".parse().unwrap(),
                branch: None,
                arbitrary_file_identifier: None,
                query: MedicalInfoQuery::HealthCheckups {
                    file_category: CheckupFile::Pdf,
                },
                classification: None,
                treatment: MedicalTreatmentFlag::HomeVisit,
            }),
        ),
        (
            "medication_result",
            Message::MedicalInfoResult(medication_result()),
        ),
        (
            "checkup_result",
            Message::MedicalInfoResult(checkup_result()),
        ),
        (
            "medication_result_refused",
            Message::MedicalInfoResult(MedicalInfoResult {
                result_code: Some("2".to_owned()),
                message_contents: Some("閲覧同意が確認できません".to_owned()),
                person: None,
                medication: Vec::new(),
                ..medication_result()
            }),
        ),
    ]
}

#[test]
fn every_message_is_written_in_element_order() {
    for (name, message) in every_message() {
        let bytes = message.to_xml(XmlEncoding::Utf8).unwrap();
        insta::assert_snapshot!(name, text(&bytes));
    }
}

#[test]
fn shift_jis_files_declare_it_and_say_so_in_the_header() {
    let bytes = bulk_result().to_xml(XmlEncoding::ShiftJis).unwrap();
    insta::assert_snapshot!("bulk_result_shift_jis", text(&bytes));
}

#[test]
fn every_message_reads_back_from_its_file_name_in_both_encodings() {
    for (name, message) in every_message() {
        for encoding in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
            let bytes = message.to_xml(encoding).unwrap();
            let file = format!("{}_202611210001.xml", message.api());
            let mut again = read_message(&file, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            normalise_character_code(&mut again, encoding);
            let mut expected = message.clone();
            normalise_character_code(&mut expected, encoding);
            assert_eq!(again, expected, "{name} {encoding:?}");
            assert_eq!(message_kind(&file).unwrap(), message.kind(), "{name}");
        }
    }
}

/// Writers put the code matching the encoding in `CharacterCodeIdentifier`.
fn normalise_character_code(message: &mut Message, encoding: XmlEncoding) {
    let code = Some(common::character_code(encoding));
    match message {
        Message::QualificationResult(r) => r.header.character_code = code,
        Message::ReferenceNumberResult(r) => r.header.character_code = code,
        Message::UploadResult { result, .. } => result.header.character_code = code,
        Message::BulkResult { result, .. } => result.header.character_code = code,
        Message::BulkRegistrationResult(r) => r.header.character_code = code,
        _ => {}
    }
}

#[test]
fn the_streaming_writer_gives_the_same_bytes_and_the_reader_the_same_units() {
    let result = bulk_result();
    for encoding in [XmlEncoding::Utf8, XmlEncoding::ShiftJis] {
        let whole = result.to_xml(encoding).unwrap();
        let streamed = write_bulk_result(
            Vec::new(),
            &result.header,
            result.status.as_ref(),
            &result.units,
            encoding,
        )
        .unwrap();
        assert_eq!(streamed, whole);
        let mut reader =
            BulkResultReader::new(std::io::BufReader::with_capacity(64, whole.as_slice())).unwrap();
        assert_eq!(reader.encoding(), encoding);
        assert_eq!(reader.header().processed_count, Some(2));
        let first = reader.next().unwrap().unwrap();
        assert_eq!(first, result.units[0]);
        let second = reader.next().unwrap().unwrap();
        assert_eq!(second, result.units[1]);
        assert!(reader.next().is_none());
        assert!(reader.next().is_none());
    }
}

#[test]
fn ten_thousand_units_go_through_from_an_iterator_to_an_iterator() {
    let sample = bulk_result();
    let generated = (0..10_000).map(|i| {
        let mut unit = sample.units[i % 2].clone();
        unit.reference_number = Some(format!("K{i:07}"));
        unit
    });
    let bytes = write_bulk_result(
        Vec::new(),
        &sample.header,
        None,
        generated,
        XmlEncoding::ShiftJis,
    )
    .unwrap();
    let reader = BulkResultReader::new(std::io::BufReader::new(bytes.as_slice())).unwrap();
    let mut n = 0;
    for (i, unit) in reader.enumerate() {
        assert_eq!(unit.unwrap().reference_number, Some(format!("K{i:07}")));
        n += 1;
    }
    assert_eq!(n, 10_000);
}

#[test]
fn unknown_elements_are_reported_once_and_body_status_after_units_is_read() {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XmlMsg><MessageHeader>\
        <MedicalInstitutionCode>1361234568</MedicalInstitutionCode><SegmentOfResult>1</SegmentOfResult>\
        <NewHeaderThing>x</NewHeaderThing></MessageHeader><MessageBody>\
        <BulkConfirmUnit><ProcessingResultStatus>1</ProcessingResultStatus><Extra>a</Extra></BulkConfirmUnit>\
        <BulkConfirmUnit><ProcessingResultStatus>2</ProcessingResultStatus><Extra>b</Extra></BulkConfirmUnit>\
        <ProcessingResultStatus>1</ProcessingResultStatus><Trailer/></MessageBody></XmlMsg>";
    let r = read_bulk_result(xml.as_bytes()).unwrap();
    assert_eq!(r.units.len(), 2);
    assert_eq!(
        r.status.map(|s| s.status),
        Some(ProcessingResultStatus::Completed)
    );
    assert_eq!(
        r.unknown_elements,
        [
            "XmlMsg/MessageHeader/NewHeaderThing",
            "XmlMsg/MessageBody/BulkConfirmUnit/Extra",
            "XmlMsg/MessageBody/Trailer",
        ]
    );
}

#[test]
fn streamed_errors_name_the_path_and_end_the_iteration() {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader>\
        <MedicalInstitutionCode>1361234568</MedicalInstitutionCode><SegmentOfResult>1</SegmentOfResult>\
        </MessageHeader><MessageBody>\
        <BulkConfirmUnit><QualificationValidity>7</QualificationValidity></BulkConfirmUnit>\
        <BulkConfirmUnit/></MessageBody></XmlMsg>";
    let mut reader = BulkResultReader::new(xml.as_bytes()).unwrap();
    let Some(Err(OqsError::Invalid { path, .. })) = reader.next() else {
        panic!("an unknown validity code must be refused");
    };
    assert_eq!(
        path,
        "XmlMsg/MessageBody/BulkConfirmUnit/QualificationValidity"
    );
    assert!(reader.next().is_none());

    let no_body = "<XmlMsg><MessageHeader><MedicalInstitutionCode>1361234568</MedicalInstitutionCode>\
        <SegmentOfResult>1</SegmentOfResult></MessageHeader></XmlMsg>";
    assert_eq!(
        read_bulk_result(no_body.as_bytes()).err(),
        Some(OqsError::Missing {
            path: "XmlMsg/MessageBody".to_owned()
        })
    );
    let processing = no_body.replace(">1</SegmentOfResult>", ">2</SegmentOfResult>");
    assert!(
        read_bulk_result(processing.as_bytes())
            .unwrap()
            .units
            .is_empty()
    );
    let huge = format!(
        "<XmlMsg><MessageHeader><MedicalInstitutionCode>1361234568</MedicalInstitutionCode>\
        <SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody><BulkConfirmUnit>{}</BulkConfirmUnit></MessageBody></XmlMsg>",
        "<A>x</A>".repeat(200_000)
    );
    assert!(matches!(
        read_bulk_result(huge.as_bytes()),
        Err(OqsError::Document(_))
    ));
}

#[test]
fn names_say_which_message_before_reading() {
    assert_eq!(
        message_kind("OQSmuquc02res_202611210001.xml").unwrap(),
        MessageKind::BulkResult {
            function: BulkFunction::Qualification
        }
    );
    assert_eq!(
        message_kind("OQSmuimm02res_1.xml").unwrap(),
        MessageKind::BulkRegistrationResult
    );
    assert!(matches!(
        message_kind("EPSsipre01req_1.xml"),
        Err(MessageError::Unsupported(_))
    ));
    assert!(matches!(
        read_message("OQSmuquc02res_1.zip", b""),
        Err(MessageError::Zipped(_))
    ));
    let home_visit = every_message()
        .into_iter()
        .find(|(n, _)| *n == "consented_bulk_request_home_visit")
        .unwrap()
        .1
        .to_xml(XmlEncoding::Utf8)
        .unwrap();
    assert!(matches!(
        read_message("OQSmuonq01req_1.xml", &home_visit),
        Err(MessageError::Oqs(OqsError::Invalid { .. }))
    ));
}
