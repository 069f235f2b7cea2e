-- 同意 (consent): the patient's consent sessions behind an institution URL, the registered consents,
-- each institution's care relationships (継続的な診療: what 再照会 depends on), consent receipts,
-- the patient's own card-authenticated sessions, and disaster declarations (災害時の特例措置).
CREATE TABLE consent_sessions (
    id TEXT PRIMARY KEY,
    institution_code TEXT NOT NULL REFERENCES institutions (code),
    -- onshi_core::consent::CareSetting.
    setting TEXT NOT NULL,
    -- JSON [[item, answer], …], confirmed (every item answered).
    choices TEXT NOT NULL,
    planned_date TEXT,
    challenge BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    -- awaiting_identity → registered; a failed card step leaves it awaiting.
    state TEXT NOT NULL,
    -- Card steps that failed verification; the session is closed after MAX_CARD_FAILURES.
    failures BIGINT NOT NULL DEFAULT 0,
    certificate_fingerprint BYTEA,
    receipt_id TEXT
);

CREATE TABLE care_relationships (
    -- The institution's handle for the patient (opaque, random).
    id TEXT PRIMARY KEY,
    institution_code TEXT NOT NULL REFERENCES institutions (code),
    person_id TEXT NOT NULL REFERENCES persons (id),
    setting TEXT NOT NULL,
    -- The last visit whose identity was verified with the card (pin or visual).
    card_verified_at BIGINT NOT NULL,
    identity_method TEXT NOT NULL,
    -- onshi_core::flows::CertificateStatus at that visit, as JSON (the 3-month grace allows
    -- qualification only).
    certificate_status TEXT NOT NULL,
    -- 1 while care continues; 0 after care ended.
    care_active BIGINT NOT NULL,
    ended_at BIGINT,
    -- 1 when any consent was revoked since the last card visit (onshi's rule: the card again).
    revoked_since_card BIGINT NOT NULL,
    UNIQUE (institution_code, person_id)
);

CREATE TABLE consents (
    id BIGSERIAL PRIMARY KEY,
    care_id TEXT NOT NULL REFERENCES care_relationships (id),
    institution_code TEXT NOT NULL,
    person_id TEXT NOT NULL,
    item TEXT NOT NULL,
    answer TEXT NOT NULL,
    given_at BIGINT NOT NULL,
    -- onshi_core::consent::ConsentWindow as JSON.
    consent_window TEXT NOT NULL,
    revoked_by TEXT,
    revoked_at BIGINT,
    session_id TEXT NOT NULL
);
CREATE INDEX consents_lookup ON consents (institution_code, person_id, item);
CREATE INDEX consents_person ON consents (person_id);

CREATE TABLE consent_receipts (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL UNIQUE,
    -- The COSE_Sign1 bytes given to the patient.
    cose BYTEA NOT NULL,
    issued_at BIGINT NOT NULL
);

CREATE TABLE patient_challenges (
    id TEXT PRIMARY KEY,
    challenge BYTEA NOT NULL,
    expires_at BIGINT NOT NULL,
    used BIGINT NOT NULL
);

CREATE TABLE patient_sessions (
    -- SHA-256 of the bearer token (the token itself is never stored).
    token_sha256 BYTEA PRIMARY KEY,
    person_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE disaster_measures (
    id TEXT PRIMARY KEY,
    -- onshi_core::flows::DisasterMeasure as JSON.
    measure TEXT NOT NULL,
    declared_at BIGINT NOT NULL
);
