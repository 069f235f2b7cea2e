//! 災害時の特例措置 (disaster special measures): declared by MHLW for institutions or prefectures and a
//! period, entered here by an administrator — never inferred. Core's access decision reads them.

use onshi_core::flows::DisasterMeasure;

use crate::db::to_epoch;
use crate::error::ApiError;
use crate::state::AppState;

/// Records a declaration (a new id, or a correction of an existing one).
pub async fn declare(state: &AppState, measure: &DisasterMeasure) -> Result<(), ApiError> {
    if measure.id.trim().is_empty() || measure.id.len() > 100 {
        return Err(ApiError::bad_request(
            "DISASTER_ID_INVALID",
            "特例措置のIDは1〜100文字です",
            "the measure id must be 1 to 100 characters",
        ));
    }
    if measure.to < measure.from {
        return Err(ApiError::bad_request(
            "DISASTER_PERIOD_INVALID",
            "特例措置の終了が開始より前です",
            "the measure ends before it starts",
        ));
    }
    if measure.institutions.is_empty() && measure.prefectures.is_empty()
        || measure.prefectures.iter().any(|p| !(1..=47).contains(p))
    {
        return Err(ApiError::bad_request(
            "DISASTER_SCOPE_INVALID",
            "対象の医療機関等か都道府県（1〜47）を指定してください",
            "name the institutions or prefectures (1 to 47) covered",
        ));
    }
    let json = serde_json::to_string(measure).map_err(ApiError::internal)?;
    sqlx::query(
        "INSERT INTO disaster_measures (id, measure, declared_at) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET measure = excluded.measure, declared_at = excluded.declared_at",
    )
    .bind(&measure.id)
    .bind(json)
    .bind(to_epoch(state.now()))
    .execute(&state.db.pool)
    .await?;
    tracing::info!(measure = %measure.id, "disaster measure declared");
    Ok(())
}

/// Every declared measure (core decides which covers an institution at a moment).
pub async fn all(state: &AppState) -> Result<Vec<DisasterMeasure>, ApiError> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT measure FROM disaster_measures ORDER BY id")
        .fetch_all(&state.db.pool)
        .await?;
    rows.iter()
        .map(|j| serde_json::from_str(j).map_err(ApiError::internal))
        .collect()
}
