//! 訪問予定 (the visit plan): the days on which an institution visits each patient under its care.
//! One plan per institution, kept by the service so every device shares it — the office PC plans
//! tomorrow's round, the nurse's tablet shows it (and keeps it for the visit without signal).
//! Days are JST calendar days; a day already past cannot be planned.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use onshi_core::jst::{Date, format_date, parse_date};
use serde::Serialize;
use sqlx::Row;

use crate::consent::store::care;
use crate::db::{Db, to_epoch};
use crate::device::Signed;
use crate::error::ApiError;
use crate::state::AppState;

/// How far ahead a visit can be planned: a round is planned days, not years, ahead.
pub const MAX_DAYS_AHEAD: i64 = 366;

/// The days planned from `from` on, by care id, earliest first.
pub async fn planned(
    db: &Db,
    institution: &str,
    from: Date,
) -> Result<HashMap<String, Vec<String>>, ApiError> {
    let rows = sqlx::query(
        "SELECT care_id, visit_date FROM visit_plans \
         WHERE institution_code = $1 AND visit_date >= $2 ORDER BY visit_date",
    )
    .bind(institution)
    .bind(format_date(from))
    .fetch_all(&db.pool)
    .await?;
    let mut plan: HashMap<String, Vec<String>> = HashMap::new();
    for row in rows {
        plan.entry(row.try_get("care_id")?)
            .or_default()
            .push(row.try_get("visit_date")?);
    }
    Ok(plan)
}

/// A day as the path gives it (`YYYYMMDD`).
fn read_day(text: &str) -> Result<Date, ApiError> {
    parse_date(text).map_err(|_| {
        ApiError::bad_request(
            "VISIT_DATE_INVALID",
            "訪問日を読み取れません（例: 20261123）",
            "the visit day cannot be read (e.g. 20261123)",
        )
    })
}

/// A day to plan: today or later and within [`MAX_DAYS_AHEAD`].
fn visit_day(text: &str, today: Date) -> Result<Date, ApiError> {
    let day = read_day(text)?;
    if day < today || (day - today).whole_days() > MAX_DAYS_AHEAD {
        return Err(ApiError::bad_request(
            "VISIT_DATE_OUT_OF_RANGE",
            "訪問日は今日から1年以内の日にしてください",
            "a visit day is today or within a year from today",
        ));
    }
    Ok(day)
}

/// The patient's planned days after a change.
#[derive(Serialize)]
pub struct Planned {
    /// Days from today on (`YYYYMMDD`).
    visits: Vec<String>,
}

async fn days_of(state: &AppState, institution: &str, care_id: &str) -> Result<Planned, ApiError> {
    let mut plan = planned(&state.db, institution, state.now().date()).await?;
    Ok(Planned {
        visits: plan.remove(care_id).unwrap_or_default(),
    })
}

/// `PUT /v1/patients/{id}/visits/{date}`: plans a visit (planning it again changes nothing).
pub async fn plan(
    State(state): State<AppState>,
    Path((id, date)): Path<(String, String)>,
    signed: Signed<()>,
) -> Result<Json<Planned>, ApiError> {
    let institution = &signed.device.institution;
    let patient = care(&state.db, institution, &id).await?;
    let day = visit_day(&date, state.now().date())?;
    sqlx::query(
        "INSERT INTO visit_plans (care_id, institution_code, visit_date, planned_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (care_id, visit_date) DO NOTHING",
    )
    .bind(&patient.id)
    .bind(institution)
    .bind(format_date(day))
    .bind(to_epoch(state.now()))
    .execute(&state.db.pool)
    .await?;
    Ok(Json(days_of(&state, institution, &patient.id).await?))
}

/// `DELETE /v1/patients/{id}/visits/{date}`: takes the visit off the plan.
pub async fn unplan(
    State(state): State<AppState>,
    Path((id, date)): Path<(String, String)>,
    signed: Signed<()>,
) -> Result<Json<Planned>, ApiError> {
    let institution = &signed.device.institution;
    let patient = care(&state.db, institution, &id).await?;
    let day = read_day(&date)?;
    sqlx::query("DELETE FROM visit_plans WHERE care_id = $1 AND visit_date = $2")
        .bind(&patient.id)
        .bind(format_date(day))
        .execute(&state.db.pool)
        .await?;
    Ok(Json(days_of(&state, institution, &patient.id).await?))
}
