//! 仮想マイナンバーカード (virtual cards for anyone): a sandbox person gets a virtual card derived on
//! demand from the population seed and a card index kept in `person_cards`, verified with core's
//! verifier and registered for 保険証利用 (利用登録) to that person.
//!
//! The card is `onshi_core::card::demo::issue(seed, card_index, today)`; **`card_index mod 4` picks
//! which demo card it copies**: 0 a plastic card (PIN 1234, with 券面事項入力補助 data), 1 an Android
//! smartphone certificate (PIN 2580), 2 an iPhone (PIN 1357), 3 a plastic card whose certificate
//! expired 40 days ago — inside the 3-month grace, qualification only (PIN 4321). The 券面 data of a
//! plastic card (name, address, birth date 1950-04-01) is the demo card's, not the person's. Card
//! indices 0–3 belong to persons 0–3, the demo card holders; others are given out from 4 upwards.
//! Building a card costs a few RSA-2048 key generations (≈ 200 ms each), so it is done only when
//! asked for, never for everyone up front.

use onshi_core::card::demo::{self, DEMO_CARDS, DemoCertificate};
use onshi_core::card::jpki::{self, Authenticate, CertificateRead, LastTry, TokenKind};
use onshi_core::card::pin::Pin;
use onshi_core::card::verify::verify_authentication;
use serde::{Deserialize, Serialize};

use super::generate::person_id;
use super::household::BLOCK;
use crate::db::to_epoch;
use crate::error::ApiError;
use crate::registry;
use crate::state::AppState;

/// Which kind of virtual card to issue (the card index's remainder mod 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardVariant {
    /// A plastic マイナンバーカード with a valid certificate.
    #[default]
    Card,
    /// スマホ用電子証明書 on Android.
    Android,
    /// iPhoneのマイナンバーカード.
    Iphone,
    /// A plastic card whose certificate expired 40 days ago (in the grace: qualification only).
    ExpiredCard,
}

impl CardVariant {
    fn remainder(self) -> u64 {
        match self {
            Self::Card => 0,
            Self::Android => 1,
            Self::Iphone => 2,
            Self::ExpiredCard => 3,
        }
    }
}

/// A virtual card issued to a sandbox person. SANDBOX ONLY: the PIN is given out so anyone can try
/// the flows; the certificate chains to a TEST root no real verifier trusts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedCard {
    /// Whose card (the person key).
    pub person_id: String,
    /// The population seed the card derives from (`demo::issue(card_seed, card_index, today)`).
    pub card_seed: u64,
    /// The card index.
    pub card_index: u64,
    /// The 利用者証明用 PIN (sandbox only).
    pub pin: String,
    /// The 券面事項入力補助 PIN of a plastic card (sandbox only).
    pub kenmen_pin: Option<String>,
    /// Card, Android or iPhone.
    pub token: TokenKind,
    /// Whether the certificate is valid or in its expiry grace.
    pub certificate_expired_in_grace: bool,
}

fn issued(person: &str, seed: u64, index: u64) -> IssuedCard {
    let demo = DEMO_CARDS[(index % DEMO_CARDS.len() as u64) as usize];
    IssuedCard {
        person_id: person.to_owned(),
        card_seed: seed,
        card_index: index,
        pin: demo.pin.to_owned(),
        kenmen_pin: demo.kenmen_pin.map(str::to_owned),
        token: demo.token,
        certificate_expired_in_grace: demo.certificate == DemoCertificate::ExpiredInGrace,
    }
}

fn failed(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(format_args!("virtual card {what}: {e}"))
}

/// Builds card `index` as the patient's device would use it, signs a fresh challenge with its PIN
/// and verifies the answer with core's verifier against the state's trust anchors: the
/// registration is made with the link key a real check would compute.
async fn link_key_of(state: &AppState, index: u64) -> Result<String, ApiError> {
    let seed = state.config.population_seed;
    let now = state.now();
    let config = state.config.clone();
    let challenge = crate::keys::random::<32>().map_err(|e| failed("challenge", e))?;
    tokio::task::spawn_blocking(move || {
        let mut card =
            demo::issue(seed, index as usize, now.date()).map_err(|e| failed("issue", e))?;
        let demo = DEMO_CARDS[(index % DEMO_CARDS.len() as u64) as usize];
        let pin = Pin::new(demo.pin).map_err(|e| failed("PIN", e))?;
        let auth = Authenticate::new(pin, &challenge, LastTry::Refuse, CertificateRead::Read);
        let answer = jpki::run(auth, &mut card.card).map_err(|e| failed("authentication", e))?;
        let verified = verify_authentication(
            &challenge,
            &answer.signature,
            &card.certificate,
            &config.trust,
            &config.revocations,
            demo.token.holder(),
            now,
        )
        .map_err(|e| failed("verification", e))?;
        Ok(verified.link_key.as_str().to_owned())
    })
    .await
    .map_err(|e| failed("worker", e))?
}

async fn existing_index(state: &AppState, person: &str) -> Result<Option<u64>, ApiError> {
    let index: Option<i64> =
        sqlx::query_scalar("SELECT card_index FROM person_cards WHERE person_id = $1")
            .bind(person)
            .fetch_optional(&state.db.pool)
            .await?;
    Ok(index.map(|i| i as u64))
}

/// Builds, verifies and registers card `index` for `person`, recording the index; false when
/// the index was taken meanwhile by someone else.
async fn register(state: &AppState, person: &str, index: u64) -> Result<bool, ApiError> {
    let link_key = link_key_of(state, index).await?;
    let now = state.now();
    let inserted = sqlx::query(
        "INSERT INTO person_cards (person_id, card_index, issued_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(person)
    .bind(index as i64)
    .bind(to_epoch(now))
    .execute(&state.db.pool)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(false);
    }
    registry::register_card(&state.db, &link_key, person, now).await?;
    Ok(true)
}

/// Issues (or gives again) the virtual plastic card of `person_id` and registers it to them.
pub async fn issue_card(state: &AppState, person_id: &str) -> Result<IssuedCard, ApiError> {
    issue_card_of(state, person_id, CardVariant::Card).await
}

/// Issues the person's virtual card of `variant` (or gives again the card they already have,
/// whatever its variant) and registers it to them.
pub async fn issue_card_of(
    state: &AppState,
    person_id: &str,
    variant: CardVariant,
) -> Result<IssuedCard, ApiError> {
    let seed = state.config.population_seed;
    let known: Option<String> = sqlx::query_scalar("SELECT id FROM persons WHERE id = $1")
        .bind(person_id)
        .fetch_optional(&state.db.pool)
        .await?;
    if known.is_none() {
        return Err(ApiError::not_found(
            "PERSON_NOT_FOUND",
            "この人は登録されていません",
            "no person with this key is registered",
        ));
    }
    for _ in 0..8 {
        if let Some(index) = existing_index(state, person_id).await? {
            return Ok(issued(person_id, seed, index));
        }
        let highest: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(card_index) FROM person_cards WHERE card_index >= $1 AND card_index % 4 = $2",
        )
        .bind(BLOCK as i64)
        .bind(variant.remainder() as i64)
        .fetch_one(&state.db.pool)
        .await?;
        let index = highest.map_or(BLOCK + variant.remainder(), |h| h as u64 + 4);
        if register(state, person_id, index).await? {
            return Ok(issued(person_id, seed, index));
        }
    }
    Err(ApiError::conflict(
        "CARD_INDEX_BUSY",
        "カードの発行が混み合っています。もう一度お試しください",
        "too many cards are being issued at once; try again",
    ))
}

/// Registers demo card `index` (0–3) to its holder, person `index` (used by `seed`).
pub async fn register_demo_card(state: &AppState, index: u64) -> Result<IssuedCard, ApiError> {
    let person = person_id(index);
    if existing_index(state, &person).await?.is_none() {
        register(state, &person, index).await?;
    }
    Ok(issued(&person, state.config.population_seed, index))
}

/// The card index of `person`, if they have a card.
pub async fn card_index_of(state: &AppState, person: &str) -> Result<Option<u64>, ApiError> {
    existing_index(state, person).await
}
