-- 端末 (devices): each institution's devices with their own P-256 keys; the nonces of recent session
-- openings (replay protection that survives restarts); 医療機関等専用URL generations; and the
-- hash-chained 監査ログ (access log) with its single-row chain head.
CREATE TABLE devices (
    -- Random identifier (32 lowercase hex), the COSE kid of session openings.
    id TEXT PRIMARY KEY,
    institution_code TEXT NOT NULL REFERENCES institutions (code),
    name TEXT NOT NULL,
    -- onshi_server::device::DeviceKind as its serde name (tablet, pc).
    kind TEXT NOT NULL,
    -- P-256 public key, SEC1 uncompressed (65 bytes).
    public_key BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX devices_institution ON devices (institution_code);

CREATE TABLE device_nonces (
    device_id TEXT NOT NULL,
    nonce BYTEA NOT NULL,
    -- After this moment the opening's timestamp is refused anyway, so the nonce may be forgotten.
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, nonce)
);
CREATE INDEX device_nonces_expiry ON device_nonces (expires_at);

CREATE TABLE institution_urls (
    institution_code TEXT NOT NULL REFERENCES institutions (code),
    -- onshi_server::institution_url::UrlKind as its serde name (home_visit, online).
    kind TEXT NOT NULL,
    -- Bumped by every re-issue; tokens of older generations are refused.
    generation BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    PRIMARY KEY (institution_code, kind)
);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    institution TEXT NOT NULL,
    device_id TEXT,
    -- The opaque person key, never personal data.
    person TEXT NOT NULL,
    action TEXT NOT NULL,
    information TEXT NOT NULL,
    basis TEXT NOT NULL,
    prev_hash BYTEA NOT NULL,
    hash BYTEA NOT NULL
);
CREATE INDEX audit_log_person ON audit_log (person, seq);

-- The chain head: one row, updated in the appending transaction, so appends serialize on it.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash BYTEA NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));
