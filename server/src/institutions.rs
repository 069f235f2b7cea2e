//! 医療機関等 (institutions): who may use the service, by 医療機関等コード, with the facility kind and
//! operating type that decide what each may receive (core's capability matrix).

use onshi_core::facility::{FacilityKind, OperatingType};
use onshi_core::ids::MedicalInstitutionCode;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::db::{Db, name_of, parse_name, to_epoch};
use crate::error::ApiError;

/// A registered institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    /// 医療機関等コード.
    pub code: String,
    /// 名称.
    pub name: String,
    /// 施設種別.
    pub facility: FacilityKind,
    /// 運用形態.
    pub operating: OperatingType,
}

impl Institution {
    /// Checks the code and that the facility may run in the operating type.
    pub fn validate(&self) -> Result<MedicalInstitutionCode, ApiError> {
        let code: MedicalInstitutionCode = self.code.parse().map_err(|e| {
            ApiError::bad_request(
                "INSTITUTION_CODE_INVALID",
                &format!("医療機関等コードが正しくありません: {e}"),
                &format!("invalid institution code: {e}"),
            )
        })?;
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            return Err(ApiError::bad_request(
                "INSTITUTION_NAME_INVALID",
                "名称は1〜200文字で入力してください",
                "the name must be 1 to 200 characters",
            ));
        }
        if !self.facility.may_operate(self.operating) {
            return Err(ApiError::bad_request(
                "OPERATING_TYPE_NOT_ALLOWED",
                "この施設種別ではこの運用形態を選べません",
                "this kind of facility cannot use this operating type",
            ));
        }
        Ok(code)
    }

    /// Registers or updates the institution.
    pub async fn save(&self, db: &Db, now: onshi_core::jst::JstDateTime) -> Result<(), ApiError> {
        self.validate()?;
        sqlx::query(
            "INSERT INTO institutions (code, name, facility_kind, operating_type, created_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
             facility_kind = excluded.facility_kind, operating_type = excluded.operating_type",
        )
        .bind(&self.code)
        .bind(&self.name)
        .bind(name_of(&self.facility))
        .bind(name_of(&self.operating))
        .bind(to_epoch(now))
        .execute(&db.pool)
        .await?;
        Ok(())
    }

    /// The institution with `code`, if registered.
    pub async fn find(db: &Db, code: &str) -> Result<Option<Self>, ApiError> {
        let row = sqlx::query(
            "SELECT code, name, facility_kind, operating_type FROM institutions WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&db.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let facility: String = row.try_get("facility_kind")?;
        let operating: String = row.try_get("operating_type")?;
        Ok(Some(Self {
            code: row.try_get("code")?,
            name: row.try_get("name")?,
            facility: parse_name(&facility)?,
            operating: parse_name(&operating)?,
        }))
    }

    /// The institution with `code`, or a 404.
    pub async fn get(db: &Db, code: &str) -> Result<Self, ApiError> {
        Self::find(db, code).await?.ok_or_else(|| {
            ApiError::not_found(
                "INSTITUTION_NOT_FOUND",
                "医療機関等が登録されていません",
                "no institution with this code is registered",
            )
        })
    }
}
