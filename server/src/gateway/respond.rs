//! The answer to one request file, in the request's encoding and under the paired name
//! (`…req_X.xml` → `…res_X.xml`). A file that cannot be answered normally gets a typed error
//! result (`SegmentOfResult` 9 with onshi's code in `ErrorCode`), never silence.
//!
//! Answers are rebuilt from stored state, so a redo after a crash writes the same bytes: the
//! processing time is when the request was first recorded, a 一括照会 job id derives from the
//! request, and a download that once answered 処理中 answers 処理中 again.

use onshi_core::codes::{ProcessingResultStatus, ReferenceClassification, SegmentOfResult};
use onshi_core::ids::MedicalInstitutionCode;
use onshi_core::jst::JstDateTime;
use onshi_core::oqs::{
    BulkFunction, FileName, Message, MessageError, MessageKind, ProcessingResult,
    QualificationRequest, QualificationResult, ReferenceNumberRequest, ReferenceNumberResult,
    RegistrationOutcome, ResponseHeader, ResultBody, ResultEntry, ResultHeader, UploadResult,
    XmlEncoding, decode_xml, message_kind, read_message,
};
use onshi_core::qualification::QueryKey;
use sha2::{Digest, Sha256};

use crate::bulk::{self, JobId, JobState, UploadFormat};
use crate::error::ApiError;
use crate::state::AppState;

/// What the gateway knows about a request when it answers it.
pub(crate) struct Context<'a> {
    pub institution: &'a MedicalInstitutionCode,
    pub name: &'a str,
    pub sha256: &'a str,
    pub received_at: JstDateTime,
    /// A decision recorded by an earlier attempt (`processing` / `completed` for downloads).
    pub decision: Option<String>,
}

/// A response file to write.
pub(crate) struct Answer {
    pub name: String,
    pub bytes: Vec<u8>,
    /// A decision to record before the file is written.
    pub decision: Option<String>,
    /// onshi's code when the answer is an error (for the log).
    pub error: Option<String>,
}

/// The answer to request `file`; `Err` only when the service itself failed (retried later).
pub(crate) async fn respond(
    state: &AppState,
    ctx: &Context<'_>,
    file: &FileName,
    bytes: &[u8],
) -> Result<Answer, ApiError> {
    let encoding = decode_xml(bytes).map_or(XmlEncoding::Utf8, |(_, e)| e);
    let mut paired = file.paired();
    paired.zipped = false;
    let name = paired.to_string();
    let error = |code: &str, text: &str| error_answer(ctx, file, &name, encoding, code, text);
    let message = match read_message(ctx.name, bytes) {
        Ok(m) => m,
        Err(e) => {
            let code = match &e {
                MessageError::FileName(_) => "OQS_FILE_NAME_INVALID",
                MessageError::Zipped(_) => "OQS_ZIPPED",
                MessageError::Unsupported(_) => "OQS_NOT_SUPPORTED",
                MessageError::Oqs(_) => "OQS_MESSAGE_INVALID",
            };
            return error(code, &e.to_string());
        }
    };
    let mismatch = || {
        error(
            "GATEWAY_INSTITUTION_MISMATCH",
            "医療機関等コードがこの端末の医療機関と一致しません (the institution code is not this terminal's)",
        )
    };
    let mut decision = None;
    let result = match message {
        Message::QualificationRequest(r) => {
            if &r.institution != ctx.institution {
                return mismatch();
            }
            single(state, ctx, &r).await?.to_xml(encoding)
        }
        Message::ReferenceNumberRequest(r) => {
            if &r.institution != ctx.institution {
                return mismatch();
            }
            registration(state, ctx, r).await?.to_xml(encoding)
        }
        Message::BulkQualificationRequest(r) => {
            if &r.institution != ctx.institution {
                return mismatch();
            }
            let id = job_id(ctx);
            match bulk::submit_as(
                state,
                &id,
                ctx.institution.as_str(),
                UploadFormat::OqsXml,
                bytes,
            )
            .await
            {
                Ok(()) => {}
                Err(e) if e.status.is_server_error() => return Err(e),
                Err(e) => return error(&e.code, &format!("{} ({})", e.message.ja, e.message.en)),
            }
            let mut header =
                ResponseHeader::new(ctx.institution.clone(), SegmentOfResult::Completed);
            header.processed_at = Some(ctx.received_at);
            header.confirmation_date = Some(r.confirmation_date);
            header.arbitrary_file_identifier = r.arbitrary_file_identifier;
            header.reception_number = Some(id.to_string());
            UploadResult {
                header,
                body: Some(ProcessingResult {
                    status: ProcessingResultStatus::Completed,
                    code: None,
                    message: None,
                }),
                unknown_elements: Vec::new(),
            }
            .to_xml(encoding)
        }
        Message::DownloadRequest {
            function: BulkFunction::Qualification,
            request,
        } => {
            if &request.institution != ctx.institution {
                return mismatch();
            }
            let id = JobId(request.reception_number.clone());
            let job = match bulk::job(state, ctx.institution.as_str(), &id).await {
                Ok(job) if job.format == UploadFormat::OqsXml => job,
                Ok(_) => {
                    return error(
                        "BULK_NOT_OQS_UPLOAD",
                        "この受付番号はファイルで受け付けた一括照会ではありません (this reception number is not a file upload)",
                    );
                }
                Err(e) if e.status.is_server_error() => return Err(e),
                Err(e) => return error(&e.code, &format!("{} ({})", e.message.ja, e.message.en)),
            };
            let completed = match ctx.decision.as_deref() {
                Some("processing") => false,
                Some(_) => true,
                None => job.state == JobState::Completed,
            };
            decision = Some(if completed { "completed" } else { "processing" }.to_owned());
            let mut shown = job;
            if !completed {
                shown.state = JobState::Processing;
            }
            return Ok(Answer {
                name,
                bytes: bulk::export::oqs_result(state, &shown).await?,
                decision,
                error: None,
            });
        }
        other => {
            return error(
                "OQS_NOT_SUPPORTED",
                &format!(
                    "{} にはこのゲートウェイは対応していません (the gateway does not answer {})",
                    other.api(),
                    other.api()
                ),
            );
        }
    };
    match result {
        Ok(bytes) => Ok(Answer {
            name,
            bytes,
            decision,
            error: None,
        }),
        Err(e) => error("OQS_ENCODING", &e.to_string()),
    }
}

/// The 一括照会 job id of an uploaded request file: derived from the file, so a redo finds the
/// job the first attempt made.
fn job_id(ctx: &Context<'_>) -> JobId {
    let digest = Sha256::digest(
        format!(
            "oqs-bulk|{}|{}|{}",
            ctx.institution.as_str(),
            ctx.name,
            ctx.sha256
        )
        .as_bytes(),
    );
    JobId(crate::keys::hex(&digest[..16]))
}

async fn single(
    state: &AppState,
    ctx: &Context<'_>,
    r: &QualificationRequest,
) -> Result<QualificationResult, ApiError> {
    let key = QueryKey::Numbers {
        insurer: r.insurer.clone(),
        symbol: r.symbol.clone(),
        number: r.number.clone(),
        branch: r.branch.clone(),
        birthdate: r.birthdate,
    };
    let lookup = crate::registry::lookup(&state.db, &key, r.confirmation_date).await?;
    let reference = match &lookup.person {
        Some(p) => super::reference_number::references_for(
            &state.db,
            ctx.institution.as_str(),
            &[p.as_str()],
        )
        .await?
        .remove(p),
        None => None,
    };
    Ok(QualificationResult {
        header: ResultHeader {
            processed_at: Some(ctx.received_at),
            confirmation_date: Some(r.confirmation_date),
            institution: ctx.institution.clone(),
            arbitrary_file_identifier: r.arbitrary_file_identifier.clone(),
            reference_classification: Some(ReferenceClassification::InsuranceCardInfo),
            segment_of_result: SegmentOfResult::Completed,
            error_code: None,
            error_message: None,
            character_code: None,
        },
        body: Some(ResultBody {
            processing_result_status: ProcessingResultStatus::Completed,
            processing_result_code: None,
            processing_result_message: None,
            qualification_validity: Some(lookup.determination.validity),
            results: lookup
                .qualification
                .into_iter()
                .map(|qualification| ResultEntry {
                    qualification,
                    reference_number: reference.clone(),
                    arbitrary_identifier: r.arbitrary_identifier.clone(),
                    limit_consent: Some(r.limit_consent),
                    consents: Vec::new(),
                    prescription_issue: None,
                    limit_certificate_changed: None,
                })
                .collect(),
        }),
        unknown_elements: Vec::new(),
    })
}

async fn registration(
    state: &AppState,
    ctx: &Context<'_>,
    r: ReferenceNumberRequest,
) -> Result<ReferenceNumberResult, ApiError> {
    let outcome = match super::reference_number::register(
        &state.db,
        ctx.institution.as_str(),
        &r.info,
        ctx.received_at,
    )
    .await
    {
        Ok(()) => ProcessingResult {
            status: ProcessingResultStatus::Completed,
            code: None,
            message: None,
        },
        Err(e) if e.status.is_server_error() => return Err(e),
        Err(e) => ProcessingResult {
            status: ProcessingResultStatus::Error,
            code: Some(e.code),
            message: Some(e.message.ja),
        },
    };
    let mut header = ResponseHeader::new(ctx.institution.clone(), SegmentOfResult::Completed);
    header.processed_at = Some(ctx.received_at);
    header.arbitrary_file_identifier = r.arbitrary_file_identifier;
    Ok(ReferenceNumberResult {
        header,
        body: Some(RegistrationOutcome {
            info: Some(r.info),
            result: outcome,
        }),
        unknown_elements: Vec::new(),
    })
}

/// A typed error result: `SegmentOfResult` 9 with onshi's code and the reason (which names
/// elements, never personal values). A single check gets the single result's header; every other
/// request the common response header.
fn error_answer(
    ctx: &Context<'_>,
    file: &FileName,
    name: &str,
    encoding: XmlEncoding,
    code: &str,
    text: &str,
) -> Result<Answer, ApiError> {
    let single = matches!(
        MessageKind::of(&file.api).or_else(|| message_kind(ctx.name).ok()),
        Some(MessageKind::QualificationRequest)
    );
    let write = |encoding| {
        if single {
            QualificationResult {
                header: ResultHeader {
                    processed_at: Some(ctx.received_at),
                    confirmation_date: None,
                    institution: ctx.institution.clone(),
                    arbitrary_file_identifier: None,
                    reference_classification: None,
                    segment_of_result: SegmentOfResult::Aborted,
                    error_code: Some(code.to_owned()),
                    error_message: Some(text.to_owned()),
                    character_code: None,
                },
                body: None,
                unknown_elements: Vec::new(),
            }
            .to_xml(encoding)
        } else {
            let mut header = ResponseHeader::new(ctx.institution.clone(), SegmentOfResult::Aborted);
            header.processed_at = Some(ctx.received_at);
            header.error_code = Some(code.to_owned());
            header.error_message = Some(text.to_owned());
            UploadResult {
                header,
                body: None,
                unknown_elements: Vec::new(),
            }
            .to_xml(encoding)
        }
    };
    // A reason Shift_JIS cannot hold (it quotes the file) goes out in UTF-8.
    let bytes = write(encoding)
        .or_else(|_| write(XmlEncoding::Utf8))
        .map_err(|e| ApiError::internal(format_args!("error result: {e}")))?;
    Ok(Answer {
        name: name.to_owned(),
        bytes,
        decision: None,
        error: Some(code.to_owned()),
    })
}
