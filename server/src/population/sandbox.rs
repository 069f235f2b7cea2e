//! サンドボックス (the sandbox routes of the population): issue a virtual card to anyone, and list a
//! few people of each kind with their card numbers, for trying the flows. SANDBOX ONLY: answers
//! carry PINs and personal data of made-up people.

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use onshi_core::i18n::Message;
use onshi_core::jst::Date;
use onshi_core::qualification::Qualification;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::PersonKind;
use super::cards::{CardVariant, IssuedCard, card_index_of, issue_card_of};
use super::store::people_of_kind;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The population's sandbox routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/sandbox/persons/{person_id}/card", post(issue))
        .route("/v1/sandbox/people", get(people))
}

fn sandbox_notice() -> Message {
    Message::new(
        "サンドボックス専用です。架空の人物とテスト用カードで、暗証番号は公開されています",
        "sandbox only: made-up people and TEST cards; the PINs are public on purpose",
    )
}

/// How to issue.
#[derive(Debug, Deserialize)]
struct IssueQuery {
    #[serde(default)]
    variant: Option<CardVariant>,
}

/// The answer to a card request.
#[derive(Debug, Serialize)]
struct IssueAnswer {
    sandbox_only: bool,
    notice: Message,
    card: IssuedCard,
}

async fn issue(
    State(state): State<AppState>,
    Path(person_id): Path<String>,
    Query(q): Query<IssueQuery>,
) -> ApiResult<Json<IssueAnswer>> {
    let card = issue_card_of(&state, &person_id, q.variant.unwrap_or_default()).await?;
    Ok(Json(IssueAnswer {
        sandbox_only: true,
        notice: sandbox_notice(),
        card,
    }))
}

/// Which people to list.
#[derive(Debug, Deserialize)]
struct PeopleQuery {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    limit: Option<i64>,
}

/// A record as the list shows it: the numbers to type in, and whether it is valid today.
#[derive(Debug, Serialize)]
struct RecordView {
    card_classification: String,
    insurer_number: Option<String>,
    insurer_name: Option<String>,
    symbol: Option<String>,
    number: Option<String>,
    branch: Option<String>,
    public_expense_number: Option<String>,
    recipient_number: Option<String>,
    name: String,
    #[serde(with = "onshi_core::jst::serde_date")]
    birthdate: Date,
    #[serde(with = "onshi_core::jst::serde_opt_date")]
    qualification_date: Option<Date>,
    #[serde(with = "onshi_core::jst::serde_opt_date")]
    disqualification_date: Option<Date>,
    reason_of_loss: Option<String>,
    covers_today: bool,
}

impl RecordView {
    fn of(q: &Qualification, today: Date) -> Self {
        let aid = q.medical_assistance.as_ref();
        Self {
            card_classification: q.card_classification.code().to_owned(),
            insurer_number: q.insurer_number.as_ref().map(|n| n.as_str().to_owned()),
            insurer_name: q.insurer_name.clone(),
            symbol: q.symbol.as_ref().map(|s| s.as_str().to_owned()),
            number: q.number.as_ref().map(|s| s.as_str().to_owned()),
            branch: q.branch.as_ref().map(|s| s.as_str().to_owned()),
            public_expense_number: aid.and_then(|a| a.payer.as_ref()).map(|p| p.to_string()),
            recipient_number: aid
                .and_then(|a| a.beneficiary.as_ref())
                .map(|b| b.as_str().to_owned()),
            name: q.name.clone(),
            birthdate: q.birthdate,
            qualification_date: q.qualification_date,
            disqualification_date: q.disqualification_date,
            reason_of_loss: q.reason_of_loss.map(|r| r.code().to_owned()),
            covers_today: q.covers(today),
        }
    }
}

/// One listed person.
#[derive(Debug, Serialize)]
struct PersonView {
    person_id: String,
    kinds: Vec<String>,
    card_index: Option<u64>,
    records: Vec<RecordView>,
}

/// The list.
#[derive(Debug, Serialize)]
struct PeopleAnswer {
    sandbox_only: bool,
    notice: Message,
    people: Vec<PersonView>,
}

async fn person_view(state: &AppState, person: String) -> ApiResult<PersonView> {
    let today = state.now().date();
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM population_kinds WHERE person_id = $1 ORDER BY kind")
            .bind(&person)
            .fetch_all(&state.db.pool)
            .await?;
    let rows = sqlx::query("SELECT record FROM qualifications WHERE person_id = $1 ORDER BY id")
        .bind(&person)
        .fetch_all(&state.db.pool)
        .await?;
    let mut records = Vec::with_capacity(rows.len());
    for r in &rows {
        let json: String = r.try_get("record")?;
        let q: Qualification = serde_json::from_str(&json)
            .map_err(|e| ApiError::internal(format_args!("stored record: {e}")))?;
        records.push(RecordView::of(&q, today));
    }
    Ok(PersonView {
        card_index: card_index_of(state, &person).await?,
        person_id: person,
        kinds,
        records,
    })
}

async fn people(
    State(state): State<AppState>,
    Query(q): Query<PeopleQuery>,
) -> ApiResult<Json<PeopleAnswer>> {
    let kinds: Vec<PersonKind> = match q.kind.as_deref() {
        None | Some("") => PersonKind::ALL.to_vec(),
        Some(k) => vec![PersonKind::parse(k).ok_or_else(|| {
            ApiError::bad_request(
                "POPULATION_KIND_UNKNOWN",
                &format!("人の種類「{k}」はありません"),
                &format!("no kind of person named {k:?}"),
            )
        })?],
    };
    let default_limit = if kinds.len() == 1 { 10 } else { 3 };
    let limit = q.limit.unwrap_or(default_limit).clamp(1, 50);
    let mut people = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for kind in kinds {
        for person in people_of_kind(&state.db, kind.as_str(), limit).await? {
            if seen.insert(person.clone()) {
                people.push(person_view(&state, person).await?);
            }
        }
    }
    Ok(Json(PeopleAnswer {
        sandbox_only: true,
        notice: sandbox_notice(),
        people,
    }))
}
