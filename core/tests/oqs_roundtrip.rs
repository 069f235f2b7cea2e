//! Every OQS message round-trips model → XML → model in both encodings, read back through the
//! file name (`read_message`), and no reader panics on any bytes.

use onshi_core::codes::{
    CharacterCode, CodeTable, ConsentInformationKind, ConsentStatus, DesignatedInstitutionFlag,
    InsuredCardClassification, LimitCategory, LimitCertificateChanged, LimitCertificateConsent,
    LimitCertificateKind, MedicalTreatmentFlag, MedicalTreatmentType, PersonalFamilyClassification,
    PrescriptionIssueSelect, ProcessingResultStatus, QualificationValidity, ReasonOfLoss,
    ReferenceClassification, SegmentOfResult, Sex, SingleOrCombinedUse, SpecificDisease,
    TicketType,
};
use onshi_core::ids::check_digit;
use onshi_core::jst::{Date, JstDateTime, Time};
use onshi_core::oqs::{
    BulkConfirmUnit, BulkFunction, BulkQualificationRequest, BulkReferenceNumberRequest,
    BulkRegistrationResult, BulkResult, BulkResultReader, CheckupFile, CheckupItem, ConsentFlag,
    ConsentedBulkRequest, ConsentedSetting, DownloadRequest, Drug, HealthCheckup, InsuredKey,
    MedicalAidBulkRequest, MedicalInfoPerson, MedicalInfoQuery, MedicalInfoRequest,
    MedicalInfoResult, MedicationDay, MedicationFile, MedicationMonth, Message, MonthLeaves,
    PeriodBasis, ProcessingResult, QualificationRequest, QualificationResult,
    ReferenceNumberRequest, ReferenceNumberResult, RegistrationInfo, RegistrationOutcome,
    ResponseHeader, ResultBody, ResultEntry, ResultHeader, SearchInfo, Treatment, UploadResult,
    XmlEncoding, read_message,
};
use onshi_core::qualification::{
    CopayRatio, ElderlyRecipientCertificate, LimitCertificate, MedicalAssistance, MedicalTicket,
    Qualification, SpecificDiseaseCertificate,
};
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;

// ---- values -------------------------------------------------------------------------------------

/// Text every field may hold: ASCII with the XML specials, kana (full and half width), kanji
/// including CP932 extensions, all writable in Shift_JIS.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 &<>\"'=/ぁ-んァ-ヶｦ-ﾟー－　東京都千代田区霞関髙﨑橋子太郎薬局医療券]{1,12}"
}

fn code<T: CodeTable + std::fmt::Debug>() -> impl Strategy<Value = T> {
    proptest::sample::select(T::ALL.to_vec())
}

fn date() -> impl Strategy<Value = Date> {
    (1900i32..2100, 1u16..=365)
        .prop_map(|(y, d)| Date::from_ordinal_date(y, d).unwrap_or_else(|e| panic!("{e}")))
}

fn month() -> impl Strategy<Value = Date> {
    date().prop_map(|d| d.replace_day(1).unwrap_or_else(|e| panic!("{e}")))
}

fn datetime() -> impl Strategy<Value = JstDateTime> {
    (date(), 0u8..24, 0u8..60, 0u8..60).prop_map(|(d, h, m, s)| {
        JstDateTime::new(d, Time::from_hms(h, m, s).unwrap_or_else(|e| panic!("{e}")))
    })
}

/// Digits ending in their check digit, parsed as `T` (invalid prefectures etc. are skipped).
fn checked<T: std::str::FromStr + std::fmt::Debug>(len: usize) -> impl Strategy<Value = T> {
    vec(0u8..10, len - 1).prop_filter_map("not a valid identifier", |body| {
        let mut s: String = body.iter().map(|d| char::from(b'0' + d)).collect();
        s.push(char::from(b'0' + check_digit(&body)));
        s.parse().ok()
    })
}

fn insurer() -> impl Strategy<Value = onshi_core::ids::InsurerNumber> {
    prop_oneof![checked(8), checked(6)]
}

fn institution() -> impl Strategy<Value = onshi_core::ids::MedicalInstitutionCode> {
    checked(10)
}

fn card_text<T: std::str::FromStr + std::fmt::Debug>() -> impl Strategy<Value = T> {
    "[0-9A-Za-z北アｱ-ﾝ０-９・-]{1,10}".prop_filter_map("not valid", |s| s.parse().ok())
}

fn branch() -> impl Strategy<Value = onshi_core::ids::InsuredBranchNumber> {
    "[0-9]{2}".prop_map(|s| s.parse().unwrap_or_else(|e| panic!("{e}")))
}

fn key() -> BoxedStrategy<InsuredKey> {
    prop_oneof![
        (insurer(), of(card_text()), card_text(), of(branch())).prop_map(
            |(insurer, symbol, number, branch)| InsuredKey::Insurance {
                insurer,
                symbol,
                number,
                branch
            }
        ),
        (checked(8), checked(7))
            .prop_map(|(payer, beneficiary)| InsuredKey::MedicalAid { payer, beneficiary }),
    ]
    .boxed()
}

fn search() -> BoxedStrategy<SearchInfo> {
    (key(), date(), of(code()), of(text()))
        .prop_map(
            |(key, birthdate, limit_consent, arbitrary_identifier)| SearchInfo {
                key,
                birthdate,
                limit_consent,
                arbitrary_identifier,
            },
        )
        .boxed()
}

fn processing() -> impl Strategy<Value = ProcessingResult> {
    (code::<ProcessingResultStatus>(), of(text()), of(text())).prop_map(
        |(status, code, message)| ProcessingResult {
            status,
            code,
            message,
        },
    )
}

fn response_header() -> BoxedStrategy<ResponseHeader> {
    (
        (
            of(datetime()),
            of(date()),
            institution(),
            of(text()),
            of(text()),
        ),
        (code::<SegmentOfResult>(), of(text()), of(text())),
        (of(any::<u32>()), of(any::<u32>()), of(any::<u32>())),
    )
        .prop_map(
            |(
                (processed_at, confirmation_date, institution, afi, reception),
                (seg, ec, em),
                (p, n, e),
            )| {
                ResponseHeader {
                    processed_at,
                    confirmation_date,
                    arbitrary_file_identifier: afi,
                    reception_number: reception,
                    error_code: ec,
                    error_message: em,
                    processed_count: p,
                    normal_count: n,
                    error_count: e,
                    ..ResponseHeader::new(institution, seg)
                }
            },
        )
        .boxed()
}

// ---- the qualification model (shared by the single and bulk results) -----------------------------

fn elderly() -> impl Strategy<Value = ElderlyRecipientCertificate> {
    (of(date()), of(date()), 0u8..=100).prop_map(|(valid_from, valid_until, r)| {
        ElderlyRecipientCertificate {
            valid_from,
            valid_until,
            copay_ratio: CopayRatio(r),
        }
    })
}

fn limit() -> impl Strategy<Value = LimitCertificate> {
    (
        code::<LimitCertificateKind>(),
        code::<LimitCategory>(),
        of(date()),
        of(date()),
        of(date()),
    )
        .prop_map(
            |(kind, category, valid_from, valid_until, long_term_date)| LimitCertificate {
                kind,
                category,
                valid_from,
                valid_until,
                long_term_date,
            },
        )
}

fn disease() -> impl Strategy<Value = SpecificDiseaseCertificate> {
    (
        code::<SpecificDisease>(),
        of(date()),
        of(date()),
        of(any::<u32>()),
    )
        .prop_map(
            |(disease, valid_from, valid_until, monthly_self_pay_limit)| {
                SpecificDiseaseCertificate {
                    disease,
                    valid_from,
                    valid_until,
                    monthly_self_pay_limit,
                }
            },
        )
}

fn ticket() -> BoxedStrategy<MedicalTicket> {
    (
        (code::<TicketType>(), month(), institution()),
        (
            of(code::<DesignatedInstitutionFlag>()),
            of(code::<MedicalTreatmentType>()),
        ),
        (
            code::<SingleOrCombinedUse>(),
            of(text()),
            of(date()),
            of(date()),
        ),
    )
        .prop_map(
            |(
                (ticket_type, month, designated_institution),
                (designated_flag, treatment_type),
                (single_or_combined, issue_number, valid_from, valid_until),
            )| {
                MedicalTicket {
                    ticket_type,
                    month,
                    designated_institution,
                    designated_flag,
                    treatment_type,
                    single_or_combined,
                    issue_number,
                    valid_from,
                    valid_until,
                }
            },
        )
        .boxed()
}

fn medical_assistance() -> BoxedStrategy<MedicalAssistance> {
    (of(checked(8)), of(checked(7)), text(), vec(ticket(), 0..3))
        .prop_map(
            |(payer, beneficiary, welfare_office_name, tickets)| MedicalAssistance {
                payer,
                beneficiary,
                welfare_office_name,
                tickets,
            },
        )
        .boxed()
}

fn qualification() -> BoxedStrategy<Qualification> {
    (
        (
            code::<InsuredCardClassification>(),
            of(insurer()),
            of(text()),
            of(card_text()),
            of(card_text()),
            of(branch()),
        ),
        (
            of(code::<PersonalFamilyClassification>()),
            of(text()),
            text(),
            of(text()),
            of(text()),
            of(text()),
        ),
        (
            code::<Sex>(),
            of(code::<Sex>()),
            date(),
            of(text()),
            of(text()),
            of(date()),
            of(date()),
        ),
        (
            of(date()),
            of(date()),
            of(0u8..=100),
            any::<bool>(),
            of(code::<ReasonOfLoss>()),
        ),
        (
            of(elderly()),
            of(limit()),
            vec(disease(), 0..3),
            of(medical_assistance()),
        ),
    )
        .prop_map(|(a, b, c, d, e)| Qualification {
            card_classification: a.0,
            insurer_number: a.1,
            insurer_name: a.2,
            symbol: a.3,
            number: a.4,
            branch: a.5,
            personal_family: b.0,
            insured_name: b.1,
            name: b.2,
            name_of_other: b.3,
            name_kana: b.4,
            name_of_other_kana: b.5,
            sex1: c.0,
            sex2: c.1,
            birthdate: c.2,
            address: c.3,
            post_number: c.4,
            qualification_date: c.5,
            disqualification_date: c.6,
            card_valid_date: d.0,
            card_expiration_date: d.1,
            copay_ratio: d.2.map(CopayRatio),
            preschool: d.3,
            reason_of_loss: d.4,
            elderly_recipient: e.0,
            limit_certificate: e.1,
            specific_diseases: e.2,
            medical_assistance: e.3,
        })
        .boxed()
}

const CONSENT_ORDER: [ConsentInformationKind; 5] = [
    ConsentInformationKind::HealthCheckups,
    ConsentInformationKind::Medication,
    ConsentInformationKind::Care,
    ConsentInformationKind::Surgery,
    ConsentInformationKind::SpecificDiseaseCertificate,
];

fn consents() -> impl Strategy<Value = Vec<ConsentFlag>> {
    vec(
        of((code::<ConsentStatus>(), of(datetime()), of(datetime()))),
        5,
    )
    .prop_map(|flags| {
        flags
            .into_iter()
            .zip(CONSENT_ORDER)
            .filter_map(|(f, kind)| {
                f.map(|(status, consented_at, available_until)| ConsentFlag {
                    kind,
                    status,
                    consented_at,
                    available_until,
                })
            })
            .collect()
    })
}

fn entry() -> BoxedStrategy<ResultEntry> {
    (
        qualification(),
        of(text()),
        of(text()),
        of(code::<LimitCertificateConsent>()),
        consents(),
        of(code::<PrescriptionIssueSelect>()),
        of(code::<LimitCertificateChanged>()),
    )
        .prop_map(
            |(qualification, rn, ai, lc, consents, pi, changed)| ResultEntry {
                qualification,
                reference_number: rn,
                arbitrary_identifier: ai,
                limit_consent: lc,
                consents,
                prescription_issue: pi,
                limit_certificate_changed: changed,
            },
        )
        .boxed()
}

// ---- the messages ---------------------------------------------------------------------------------

fn qualification_request() -> BoxedStrategy<Message> {
    (
        (date(), institution(), of(text()), insurer()),
        (
            of(card_text()),
            card_text(),
            of(branch()),
            date(),
            code::<LimitCertificateConsent>(),
            of(text()),
        ),
    )
        .prop_map(
            |(
                (confirmation_date, institution, afi, insurer),
                (symbol, number, branch, birthdate, limit_consent, ai),
            )| {
                Message::QualificationRequest(QualificationRequest {
                    confirmation_date,
                    institution,
                    arbitrary_file_identifier: afi,
                    insurer,
                    symbol,
                    number,
                    branch,
                    birthdate,
                    limit_consent,
                    arbitrary_identifier: ai,
                })
            },
        )
        .boxed()
}

fn qualification_result() -> BoxedStrategy<Message> {
    (
        (
            of(datetime()),
            of(date()),
            institution(),
            of(text()),
            of(code::<ReferenceClassification>()),
        ),
        (code::<SegmentOfResult>(), of(text()), of(text())),
        of((
            code::<ProcessingResultStatus>(),
            of(text()),
            of(text()),
            of(code::<QualificationValidity>()),
            vec(entry(), 0..3),
        )),
    )
        .prop_map(
            |(h, (segment_of_result, error_code, error_message), body)| {
                Message::QualificationResult(QualificationResult {
                    header: ResultHeader {
                        processed_at: h.0,
                        confirmation_date: h.1,
                        institution: h.2,
                        arbitrary_file_identifier: h.3,
                        reference_classification: h.4,
                        segment_of_result,
                        error_code,
                        error_message,
                        character_code: None,
                    },
                    body: body.map(|b| ResultBody {
                        processing_result_status: b.0,
                        processing_result_code: b.1,
                        processing_result_message: b.2,
                        qualification_validity: b.3,
                        results: b.4,
                    }),
                    unknown_elements: Vec::new(),
                })
            },
        )
        // A completed file must have a body.
        .prop_filter("completed without a body", |m| match m {
            Message::QualificationResult(r) => {
                r.body.is_some() || r.header.segment_of_result != SegmentOfResult::Completed
            }
            _ => true,
        })
        .boxed()
}

fn registration() -> BoxedStrategy<RegistrationInfo> {
    (text(), key())
        .prop_map(|(reference_number, key)| RegistrationInfo {
            reference_number,
            key,
        })
        .boxed()
}

fn outcome() -> BoxedStrategy<RegistrationOutcome> {
    (of(registration()), processing())
        .prop_map(|(info, result)| RegistrationOutcome { info, result })
        .boxed()
}

fn unit() -> BoxedStrategy<BulkConfirmUnit> {
    (
        of(search()),
        of(code::<ProcessingResultStatus>()),
        of(text()),
        of(text()),
        of(code::<QualificationValidity>()),
        vec(entry(), 0..3),
        of(text()),
    )
        .prop_map(|(search, s, c, m, v, results, rn)| BulkConfirmUnit {
            search,
            processing_result_status: s,
            processing_result_code: c,
            processing_result_message: m,
            qualification_validity: v,
            results,
            reference_number: rn,
        })
        .boxed()
}

fn function() -> impl Strategy<Value = BulkFunction> {
    proptest::sample::select(BulkFunction::ALL.to_vec())
}

fn bulk_requests() -> BoxedStrategy<Message> {
    prop_oneof![
        (date(), institution(), of(text()), vec(search(), 0..4)).prop_map(
            |(confirmation_date, institution, afi, persons)| {
                Message::BulkQualificationRequest(BulkQualificationRequest {
                    confirmation_date,
                    institution,
                    arbitrary_file_identifier: afi,
                    persons,
                })
            }
        ),
        (institution(), of(text()), vec(registration(), 0..4)).prop_map(
            |(institution, afi, entries)| {
                Message::BulkReferenceNumberRequest(BulkReferenceNumberRequest {
                    institution,
                    arbitrary_file_identifier: afi,
                    entries,
                })
            }
        ),
        (institution(), of(text()), month()).prop_map(|(institution, afi, month)| {
            Message::MedicalAidBulkRequest(MedicalAidBulkRequest {
                institution,
                arbitrary_file_identifier: afi,
                month,
            })
        }),
        (
            institution(),
            of(text()),
            any::<bool>(),
            any::<bool>(),
            date(),
            date()
        )
            .prop_map(|(institution, afi, online, exam, a, b)| {
                Message::ConsentedBulkRequest(ConsentedBulkRequest {
                    institution,
                    arbitrary_file_identifier: afi,
                    setting: if online {
                        ConsentedSetting::Online
                    } else {
                        ConsentedSetting::HomeVisit
                    },
                    basis: if exam {
                        PeriodBasis::Examination
                    } else {
                        PeriodBasis::Consent
                    },
                    from: a.min(b),
                    to: a.max(b),
                })
            }),
        (function(), institution(), text()).prop_map(
            |(function, institution, reception_number)| {
                Message::DownloadRequest {
                    function,
                    request: DownloadRequest {
                        institution,
                        reception_number,
                    },
                }
            }
        ),
    ]
    .boxed()
}

fn bulk_responses() -> BoxedStrategy<Message> {
    prop_oneof![
        (function(), response_header(), of(processing())).prop_map(|(function, header, body)| {
            Message::UploadResult {
                function,
                result: UploadResult {
                    header,
                    body,
                    unknown_elements: Vec::new(),
                },
            }
        }),
        (
            proptest::sample::select(vec![
                BulkFunction::Qualification,
                BulkFunction::MedicalAidTickets,
                BulkFunction::HomeVisit,
                BulkFunction::Online
            ]),
            response_header(),
            of(processing()),
            vec(unit(), 0..4)
        )
            .prop_map(|(function, header, status, units)| Message::BulkResult {
                function,
                result: BulkResult {
                    header,
                    status,
                    units,
                    unknown_elements: Vec::new(),
                },
            }),
        (response_header(), of(processing()), vec(outcome(), 0..4)).prop_map(
            |(header, status, units)| {
                Message::BulkRegistrationResult(BulkRegistrationResult {
                    header,
                    status,
                    units,
                    unknown_elements: Vec::new(),
                })
            }
        ),
    ]
    .boxed()
}

fn reference_number_messages() -> BoxedStrategy<Message> {
    prop_oneof![
        (institution(), of(text()), registration()).prop_map(|(institution, afi, info)| {
            Message::ReferenceNumberRequest(ReferenceNumberRequest {
                institution,
                arbitrary_file_identifier: afi,
                info,
            })
        }),
        (response_header(), of(outcome())).prop_map(|(header, body)| {
            Message::ReferenceNumberResult(ReferenceNumberResult {
                header,
                body,
                unknown_elements: Vec::new(),
            })
        }),
    ]
    .boxed()
}

fn leaf() -> impl Strategy<Value = Option<String>> {
    of(text())
}

fn drug() -> impl Strategy<Value = Drug> {
    vec(leaf(), 9).prop_map(|v| {
        let mut v = v.into_iter();
        let mut n = || v.next().flatten();
        Drug {
            code: n(),
            name: n(),
            ingredient: n(),
            quantity: n(),
            unit: n(),
            usage: n(),
            special_instruction: n(),
            times: n(),
            classification: n(),
        }
    })
}

fn month_leaves() -> impl Strategy<Value = MonthLeaves> {
    vec(leaf(), 8).prop_map(|v| {
        let mut v = v.into_iter();
        let mut n = || v.next().flatten();
        MonthLeaves {
            institution_code: n(),
            institution_name: n(),
            month: n(),
            prescriber_code: n(),
            prescriber_name: n(),
            dispensing_origin: n(),
            prescribing_origin: n(),
            in_out: n(),
        }
    })
}

fn checkup_item() -> impl Strategy<Value = CheckupItem> {
    vec(leaf(), 7).prop_map(|v| {
        let mut v = v.into_iter();
        let mut n = || v.next().flatten();
        CheckupItem {
            item_code: n(),
            item_name: n(),
            data_type: n(),
            data_value: n(),
            unit: n(),
            oid: n(),
            data_value_name: n(),
        }
    })
}

fn person() -> impl Strategy<Value = MedicalInfoPerson> {
    (leaf(), leaf(), leaf(), leaf()).prop_map(|(name, kana_name, birth, gender_code)| {
        MedicalInfoPerson {
            name,
            kana_name,
            birth,
            gender_code,
        }
    })
}

fn medical_info() -> BoxedStrategy<Message> {
    let day = (
        leaf(),
        leaf(),
        vec(drug(), 0..3),
        vec(
            (leaf(), leaf()).prop_map(|(code, name)| Treatment { code, name }),
            0..2,
        ),
    )
        .prop_map(
            |(dispensed_on, prescribed_on, drugs, treatments)| MedicationDay {
                dispensed_on,
                prescribed_on,
                drugs,
                treatments,
            },
        );
    let months = vec(
        (month_leaves(), vec(day, 0..3))
            .prop_map(|(leaves, days)| MedicationMonth { leaves, days }),
        0..3,
    );
    let checkups = vec(
        (leaf(), vec(checkup_item(), 0..3)).prop_map(|(effective_time, items)| HealthCheckup {
            effective_time,
            items,
        }),
        0..3,
    );
    let request = (
        (
            institution(),
            insurer(),
            of(card_text()),
            card_text(),
            of(branch()),
            of(text()),
        ),
        (any::<bool>(), of(date()), of(date())),
        (
            proptest::sample::select(MedicationFile::ALL.to_vec()),
            proptest::sample::select(CheckupFile::ALL.to_vec()),
            of(text()),
            code::<MedicalTreatmentFlag>(),
        ),
    )
        .prop_map(
            |(a, (checkup, start_date, end_date), (mf, cf, classification, treatment))| {
                Message::MedicalInfoRequest(MedicalInfoRequest {
                    institution: a.0,
                    insurer: a.1,
                    symbol: a.2,
                    number: a.3,
                    branch: a.4,
                    arbitrary_file_identifier: a.5,
                    query: if checkup {
                        MedicalInfoQuery::HealthCheckups { file_category: cf }
                    } else {
                        MedicalInfoQuery::Medication {
                            start_date,
                            end_date,
                            file_category: mf,
                        }
                    },
                    classification,
                    treatment,
                })
            },
        );
    let result = (
        any::<bool>(),
        leaf(),
        leaf(),
        of(person()),
        months,
        checkups,
    )
        .prop_map(
            |(checkup, result_code, message_contents, person, medication, checkups)| {
                Message::MedicalInfoResult(MedicalInfoResult {
                    kind: if checkup {
                        onshi_core::codes::MedicalInformationKind::HealthCheckups
                    } else {
                        onshi_core::codes::MedicalInformationKind::Medication
                    },
                    result_code,
                    message_contents,
                    person,
                    // A file holds the data of its own family.
                    medication: if checkup { Vec::new() } else { medication },
                    checkups: if checkup { checkups } else { Vec::new() },
                    unknown_elements: Vec::new(),
                })
            },
        );
    prop_oneof![request, result].boxed()
}

fn message() -> BoxedStrategy<Message> {
    prop_oneof![
        qualification_request(),
        qualification_result(),
        reference_number_messages(),
        bulk_requests(),
        bulk_responses(),
        medical_info(),
    ]
    .boxed()
}

/// Writers put the code matching the encoding in `CharacterCodeIdentifier`.
fn with_character_code(mut message: Message, encoding: XmlEncoding) -> Message {
    let code = Some(match encoding {
        XmlEncoding::Utf8 => CharacterCode::Utf8,
        XmlEncoding::ShiftJis => CharacterCode::ShiftJis,
    });
    match &mut message {
        Message::QualificationResult(r) => r.header.character_code = code,
        Message::ReferenceNumberResult(r) => r.header.character_code = code,
        Message::UploadResult { result, .. } => result.header.character_code = code,
        Message::BulkResult { result, .. } => result.header.character_code = code,
        Message::BulkRegistrationResult(r) => r.header.character_code = code,
        _ => {}
    }
    message
}

fn encoding() -> impl Strategy<Value = XmlEncoding> {
    prop_oneof![Just(XmlEncoding::Utf8), Just(XmlEncoding::ShiftJis)]
}

/// Every file name a reader is chosen by.
const NAMES: &[&str] = &[
    "OQSsiquc01req_1.xml",
    "OQSsiquc01res_1.xml",
    "OQSsiimm01req_1.xml",
    "OQSsiimm01res_1.xml",
    "OQSmuquc01req_1.xml",
    "OQSmuimm01req_1.xml",
    "OQSmutic01req_1.xml",
    "OQSmuhvq01req_1.xml",
    "OQSmuonq01req_1.xml",
    "OQSmuquc01res_1.xml",
    "OQSmuimm02req_1.xml",
    "OQSmuquc02res_1.xml",
    "OQSmutic02res_1.xml",
    "OQSmuimm02res_1.xml",
    "YZKsiquc01req_1.xml",
    "YZKsiquc01res_1.xml",
    "TKKsiquc01req_1.xml",
    "TKKsiquc01res_1.xml",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// model → XML → model, in both encodings, through the file name.
    #[test]
    fn every_message_round_trips(message in message(), encoding in encoding()) {
        let bytes = message.to_xml(encoding).unwrap_or_else(|e| panic!("{e}"));
        let name = format!("{}_202611210001.xml", message.api());
        let again = read_message(&name, &bytes);
        let expected = with_character_code(message, encoding);
        prop_assert_eq!(again, Ok(expected), "{}", String::from_utf8_lossy(&bytes));
    }

    /// The streaming reader over a small buffer gives the units the writer wrote.
    #[test]
    fn bulk_results_stream_back(
        header in response_header(),
        units in vec(unit(), 0..6),
        encoding in encoding(),
        capacity in 1usize..256,
    ) {
        let mut header = header;
        header.segment_of_result = SegmentOfResult::Completed;
        let bytes = onshi_core::oqs::write_bulk_result(Vec::new(), &header, None, &units, encoding)
            .unwrap_or_else(|e| panic!("{e}"));
        let reader = BulkResultReader::new(std::io::BufReader::with_capacity(capacity, bytes.as_slice()))
            .unwrap_or_else(|e| panic!("{e}"));
        let read: Result<Vec<_>, _> = reader.collect();
        prop_assert_eq!(read, Ok(units));
    }

    /// No reader panics on arbitrary bytes.
    #[test]
    fn no_reader_panics_on_any_bytes(bytes in vec(any::<u8>(), 0..512), name in proptest::sample::select(NAMES)) {
        let _ = read_message(name, &bytes);
        if let Ok(reader) = BulkResultReader::new(bytes.as_slice()) {
            for _ in reader {}
        }
    }

    /// No reader panics on damaged versions of valid files (a byte changed, a slice cut out).
    #[test]
    fn no_reader_panics_on_damaged_files(
        message in message(),
        encoding in encoding(),
        at in any::<proptest::sample::Index>(),
        len in 0usize..40,
        byte in any::<u8>(),
    ) {
        let mut bytes = message.to_xml(encoding).unwrap_or_else(|e| panic!("{e}"));
        let i = at.index(bytes.len());
        bytes[i] = byte;
        let cut_end = (i + len).min(bytes.len());
        let mut cut = bytes.clone();
        cut.drain(i..cut_end);
        for name in NAMES {
            let _ = read_message(name, &bytes);
            let _ = read_message(name, &cut);
        }
    }
}
