//! 医療機関等専用URL (institution URLs) and their QR codes (二次元コード): the address a patient
//! or staff opens to register consent for 訪問診療等 (home visits) or オンライン診療等 (online
//! consultations) with one institution.
//!
//! The token is `base64url(医療機関等コード (10 ASCII digits) ‖ kind (1 byte) ‖ generation (4 bytes,
//! big-endian) ‖ HMAC-SHA-256(url_key, "onshi institution url v1" ‖ the preceding 15 bytes)[..16])`
//! — 31 bytes, 42 characters. The code is readable, as in the official URL that is derived from the
//! code; the MAC makes a token impossible to forge. Re-issuing bumps the generation stored per
//! institution and kind, so older tokens stop working.
//!
//! Only institutions registered with the operating type 居宅同意取得型 get URLs: the check is
//! `institution.operating == OperatingType::ConsentAtHome` together with core's
//! `FacilityKind::may_operate(OperatingType::ConsentAtHome)` (which refuses, for example, a
//! 職域診療所 or a 施術所 whatever its stored operating type).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use onshi_core::facility::{Denial, OperatingType};
use qrcode::{Color, EcLevel, QrCode};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::db::to_epoch;
use crate::device::Signed;
use crate::error::ApiError;
use crate::institutions::Institution;
use crate::state::AppState;

/// URLの種類: which flow the URL starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlKind {
    /// 訪問診療等 (home visits, 居宅同意取得型 at the patient's home or bedside).
    HomeVisit,
    /// オンライン診療等 (online consultations, on the patient's own device).
    Online,
}

impl UrlKind {
    /// The name in paths and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HomeVisit => "home_visit",
            Self::Online => "online",
        }
    }

    /// The Japanese name.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::HomeVisit => "訪問診療等",
            Self::Online => "オンライン診療等",
        }
    }

    fn byte(self) -> u8 {
        match self {
            Self::HomeVisit => 1,
            Self::Online => 2,
        }
    }

    fn from_byte(b: u8) -> Option<Self> {
        match b {
            1 => Some(Self::HomeVisit),
            2 => Some(Self::Online),
            _ => None,
        }
    }

    /// The kind named in a path.
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        match s {
            "home_visit" => Ok(Self::HomeVisit),
            "online" => Ok(Self::Online),
            _ => Err(ApiError::not_found(
                "INSTITUTION_URL_KIND_UNKNOWN",
                "URLの種類は home_visit（訪問診療等）か online（オンライン診療等）です",
                "the URL kind is home_visit or online",
            )),
        }
    }
}

/// 発行した専用URL (an issued institution URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedUrl {
    /// `{public_url}/c/{token}`.
    pub url: String,
    /// The token alone.
    pub token: String,
    /// 世代: 1 for the first issue, one more for each re-issue.
    pub generation: u32,
}

const CODE_LEN: usize = 10;
const BODY_LEN: usize = CODE_LEN + 1 + 4;
const TAG_LEN: usize = 16;
const TOKEN_LEN: usize = BODY_LEN + TAG_LEN;
const DOMAIN: &[u8] = b"onshi institution url v1";

fn tag(key: &[u8; 32], body: &[u8]) -> Result<Hmac<Sha256>, ApiError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .map_err(|_| ApiError::internal("url key rejected by HMAC"))?;
    mac.update(DOMAIN);
    mac.update(body);
    Ok(mac)
}

/// The token for an institution, kind and generation under `key`.
pub fn token(
    key: &[u8; 32],
    institution: &str,
    kind: UrlKind,
    generation: u32,
) -> Result<String, ApiError> {
    let code = institution.as_bytes();
    if code.len() != CODE_LEN || !code.iter().all(u8::is_ascii_digit) {
        return Err(ApiError::internal("institution code is not 10 digits"));
    }
    let mut bytes = Vec::with_capacity(TOKEN_LEN);
    bytes.extend_from_slice(code);
    bytes.push(kind.byte());
    bytes.extend_from_slice(&generation.to_be_bytes());
    let mac = tag(key, &bytes)?.finalize().into_bytes();
    bytes.extend_from_slice(&mac[..TAG_LEN]);
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn invalid() -> ApiError {
    ApiError::not_found(
        "INSTITUTION_URL_INVALID",
        "このURLは正しくありません。医療機関等から案内されたURLかQRコードを開き直してください",
        "this URL is not valid; open the URL or QR code the institution gave again",
    )
}

/// A token's institution, kind and generation, when its MAC holds under `key`.
pub fn read_token(key: &[u8; 32], token: &str) -> Result<(String, UrlKind, u32), ApiError> {
    // A token longer than any valid one is refused before decoding.
    if token.len() > 64 {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid())?;
    if bytes.len() != TOKEN_LEN {
        return Err(invalid());
    }
    let (body, mac) = bytes.split_at(BODY_LEN);
    tag(key, body)?
        .verify_truncated_left(mac)
        .map_err(|_| invalid())?;
    let code = std::str::from_utf8(&body[..CODE_LEN]).map_err(|_| invalid())?;
    let kind = UrlKind::from_byte(body[CODE_LEN]).ok_or_else(invalid)?;
    let generation = u32::from_be_bytes(body[CODE_LEN + 1..].try_into().map_err(|_| invalid())?);
    Ok((code.to_owned(), kind, generation))
}

/// Refuses institutions that may not have URLs (see the module doc for the rule used).
fn ensure_consent_at_home(institution: &Institution) -> Result<(), ApiError> {
    if !institution
        .facility
        .may_operate(OperatingType::ConsentAtHome)
    {
        return Err(ApiError::forbidden(
            Denial::OperatingTypeNotAvailable.code(),
            "この施設種別では居宅同意取得型を利用できません",
            "this kind of facility cannot use the consent-at-home operating type",
        ));
    }
    if institution.operating != OperatingType::ConsentAtHome {
        return Err(ApiError::forbidden(
            "INSTITUTION_URL_NOT_AVAILABLE",
            "専用URLは居宅同意取得型の医療機関等だけが発行できます",
            "only institutions using the consent-at-home operating type get institution URLs",
        ));
    }
    Ok(())
}

fn issued(
    state: &AppState,
    institution: &str,
    kind: UrlKind,
    generation: u32,
) -> Result<IssuedUrl, ApiError> {
    let token = token(&state.keys.url_key, institution, kind, generation)?;
    Ok(IssuedUrl {
        url: format!("{}/c/{token}", state.config.public_url),
        token,
        generation,
    })
}

fn generation_of(stored: i64) -> Result<u32, ApiError> {
    u32::try_from(stored).map_err(|_| ApiError::internal("url generation out of range"))
}

/// 専用URLの発行・再発行: issues the institution's URL of `kind`, or re-issues it with the next
/// generation (the previous URL stops working).
pub async fn issue(
    state: &AppState,
    institution: &str,
    kind: UrlKind,
) -> Result<IssuedUrl, ApiError> {
    let found = Institution::get(&state.db, institution).await?;
    ensure_consent_at_home(&found)?;
    let generation: i64 = sqlx::query_scalar(
        "INSERT INTO institution_urls (institution_code, kind, generation, issued_at) \
         VALUES ($1, $2, 1, $3) ON CONFLICT (institution_code, kind) DO UPDATE \
         SET generation = institution_urls.generation + 1, issued_at = excluded.issued_at \
         RETURNING generation",
    )
    .bind(institution)
    .bind(kind.as_str())
    .bind(to_epoch(state.now()))
    .fetch_one(&state.db.pool)
    .await?;
    tracing::info!(
        institution,
        kind = kind.as_str(),
        generation,
        "institution URL issued"
    );
    issued(state, institution, kind, generation_of(generation)?)
}

async fn stored_generation(
    state: &AppState,
    institution: &str,
    kind: UrlKind,
) -> Result<Option<u32>, ApiError> {
    let g: Option<i64> = sqlx::query_scalar(
        "SELECT generation FROM institution_urls WHERE institution_code = $1 AND kind = $2",
    )
    .bind(institution)
    .bind(kind.as_str())
    .fetch_optional(&state.db.pool)
    .await?;
    g.map(generation_of).transpose()
}

/// The institution's current URL of `kind`, when one was issued.
pub async fn current(
    state: &AppState,
    institution: &str,
    kind: UrlKind,
) -> Result<IssuedUrl, ApiError> {
    let generation = stored_generation(state, institution, kind)
        .await?
        .ok_or_else(|| {
            ApiError::not_found(
                "INSTITUTION_URL_NOT_ISSUED",
                "この種類の専用URLはまだ発行されていません",
                "no institution URL of this kind has been issued yet",
            )
        })?;
    issued(state, institution, kind, generation)
}

/// One issued URL with its kind, as the list of an institution's URLs shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindUrl {
    /// `home_visit` or `online`.
    pub kind: String,
    /// The URL.
    #[serde(flatten)]
    pub issued: IssuedUrl,
}

/// The institution's URLs issued so far, every kind (none when nothing was issued).
pub async fn issued_urls(state: &AppState, institution: &str) -> Result<Vec<KindUrl>, ApiError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, generation FROM institution_urls WHERE institution_code = $1 ORDER BY kind",
    )
    .bind(institution)
    .fetch_all(&state.db.pool)
    .await?;
    rows.into_iter()
        .map(|(kind, generation)| {
            let parsed = UrlKind::parse(&kind)?;
            Ok(KindUrl {
                issued: issued(state, institution, parsed, generation_of(generation)?)?,
                kind,
            })
        })
        .collect()
}

/// 専用URLの解決: the institution and kind a token stands for. Forged or garbled tokens are
/// `INSTITUTION_URL_INVALID`; a token of an older generation is `INSTITUTION_URL_REISSUED`.
pub async fn resolve(state: &AppState, token: &str) -> Result<(Institution, UrlKind), ApiError> {
    let (code, kind, generation) = read_token(&state.keys.url_key, token)?;
    let current = stored_generation(state, &code, kind)
        .await?
        .ok_or_else(invalid)?;
    if generation != current {
        return Err(ApiError::new(
            StatusCode::GONE,
            "INSTITUTION_URL_REISSUED",
            "このURLは再発行により使えなくなりました。医療機関等に新しいURLかQRコードをお尋ねください",
            "this URL was replaced by a newer one; ask the institution for its current URL or QR code",
        ));
    }
    let institution = Institution::find(&state.db, &code)
        .await?
        .ok_or_else(invalid)?;
    ensure_consent_at_home(&institution)?;
    Ok((institution, kind))
}

/// The QR code of a URL as SVG.
pub fn qr_svg(url: &str) -> Result<String, ApiError> {
    let code = qr(url)?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// Pixels per QR module in the PNG.
pub const PNG_SCALE: u32 = 8;
/// Modules of white border around the PNG's code (the standard quiet zone).
pub const PNG_QUIET_ZONE: u32 = 4;

/// The QR code of a URL as an 8-bit grayscale PNG, [`PNG_SCALE`] pixels per module with a
/// [`PNG_QUIET_ZONE`]-module quiet zone.
pub fn qr_png(url: &str) -> Result<Vec<u8>, ApiError> {
    let code = qr(url)?;
    let modules = u32::try_from(code.width()).map_err(|_| ApiError::internal("qr width"))?;
    let colors = code.to_colors();
    let side = (modules + 2 * PNG_QUIET_ZONE) * PNG_SCALE;
    let mut pixels = vec![255u8; (side as usize) * (side as usize)];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let i = u32::try_from(i).map_err(|_| ApiError::internal("qr index"))?;
        let (mx, my) = (i % modules + PNG_QUIET_ZONE, i / modules + PNG_QUIET_ZONE);
        for dy in 0..PNG_SCALE {
            let row = ((my * PNG_SCALE + dy) * side) as usize;
            let start = row + (mx * PNG_SCALE) as usize;
            if let Some(run) = pixels.get_mut(start..start + PNG_SCALE as usize) {
                run.fill(0);
            }
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let png_error = |e: png::EncodingError| ApiError::internal(format_args!("png: {e}"));
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&pixels).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

fn qr(url: &str) -> Result<QrCode, ApiError> {
    // Level M survives a smudged printout and keeps the code small enough to scan from a tablet.
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| ApiError::internal(format_args!("qr: {e}")))
}

/// The institution URL routes, for the institution's own authenticated devices.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/institution/urls", get(list_handler))
        .route(
            "/v1/institution/urls/{kind}",
            post(issue_handler).get(current_handler),
        )
        .route("/v1/institution/urls/{kind}/qr.svg", get(svg_handler))
        .route("/v1/institution/urls/{kind}/qr.png", get(png_handler))
}

async fn issue_handler(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    signed: Signed<()>,
) -> Result<axum::Json<IssuedUrl>, ApiError> {
    let kind = UrlKind::parse(&kind)?;
    Ok(axum::Json(
        issue(&state, &signed.device.institution, kind).await?,
    ))
}

/// The list's answer.
#[derive(Serialize)]
struct UrlList {
    urls: Vec<KindUrl>,
}

async fn list_handler(
    State(state): State<AppState>,
    signed: Signed<()>,
) -> Result<axum::Json<UrlList>, ApiError> {
    let institution = Institution::get(&state.db, &signed.device.institution).await?;
    ensure_consent_at_home(&institution)?;
    Ok(axum::Json(UrlList {
        urls: issued_urls(&state, &institution.code).await?,
    }))
}

async fn current_handler(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    signed: Signed<()>,
) -> Result<axum::Json<IssuedUrl>, ApiError> {
    let kind = UrlKind::parse(&kind)?;
    let institution = Institution::get(&state.db, &signed.device.institution).await?;
    ensure_consent_at_home(&institution)?;
    Ok(axum::Json(current(&state, &institution.code, kind).await?))
}

async fn current_url(
    state: &AppState,
    kind: &str,
    signed: &Signed<()>,
) -> Result<String, ApiError> {
    let kind = UrlKind::parse(kind)?;
    let institution = Institution::get(&state.db, &signed.device.institution).await?;
    ensure_consent_at_home(&institution)?;
    Ok(current(state, &institution.code, kind).await?.url)
}

async fn svg_handler(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    signed: Signed<()>,
) -> Result<Response, ApiError> {
    let svg = qr_svg(&current_url(&state, &kind, &signed).await?)?;
    Ok((
        [(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, "no-store")],
        svg,
    )
        .into_response())
}

async fn png_handler(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    signed: Signed<()>,
) -> Result<Response, ApiError> {
    let png = qr_png(&current_url(&state, &kind, &signed).await?)?;
    Ok((
        [(CONTENT_TYPE, "image/png"), (CACHE_CONTROL, "no-store")],
        png,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [42; 32];

    #[test]
    fn a_token_reads_back() {
        let t = token(&KEY, "1312345678", UrlKind::Online, 3).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.len(), 42);
        let read = read_token(&KEY, &t).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read, ("1312345678".to_owned(), UrlKind::Online, 3));
    }

    #[test]
    fn forged_truncated_and_foreign_tokens_are_invalid() {
        let t = token(&KEY, "1312345678", UrlKind::HomeVisit, 1).unwrap_or_else(|e| panic!("{e}"));
        let code = |r: Result<(String, UrlKind, u32), ApiError>| r.err().map(|e| e.code);
        // Another key (another deployment) did not make it.
        assert_eq!(
            code(read_token(&[1; 32], &t)).as_deref(),
            Some("INSTITUTION_URL_INVALID")
        );
        // Truncated by one character, and by one byte.
        assert_eq!(
            code(read_token(&KEY, &t[..t.len() - 1])).as_deref(),
            Some("INSTITUTION_URL_INVALID")
        );
        assert_eq!(
            code(read_token(&KEY, &t[..t.len() - 2])).as_deref(),
            Some("INSTITUTION_URL_INVALID")
        );
        // A forged institution code with the old MAC.
        let mut bytes = URL_SAFE_NO_PAD.decode(&t).unwrap_or_else(|e| panic!("{e}"));
        bytes[9] = b'9';
        let forged = URL_SAFE_NO_PAD.encode(&bytes);
        assert_eq!(
            code(read_token(&KEY, &forged)).as_deref(),
            Some("INSTITUTION_URL_INVALID")
        );
        for garbage in ["", "!!!!", "%2e%2e", &"A".repeat(10_000)] {
            assert_eq!(
                code(read_token(&KEY, garbage)).as_deref(),
                Some("INSTITUTION_URL_INVALID")
            );
        }
    }

    #[test]
    fn the_png_has_a_quiet_zone_and_scale() {
        let png = qr_png("http://onshi.test/c/abc").unwrap_or_else(|e| panic!("{e}"));
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap_or_else(|e| panic!("{e}"));
        let info = reader.info();
        let modules = QrCode::with_error_correction_level(b"http://onshi.test/c/abc", EcLevel::M)
            .unwrap_or_else(|e| panic!("{e}"))
            .width() as u32;
        assert_eq!(info.width, (modules + 8) * PNG_SCALE);
        assert_eq!(info.width, info.height);
        const { assert!(PNG_SCALE >= 4) };
    }
}
