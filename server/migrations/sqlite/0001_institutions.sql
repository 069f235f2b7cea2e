-- The service's own keys, institutions (医療機関等) and their devices (端末).
CREATE TABLE service_keys (
    name TEXT PRIMARY KEY,
    secret BLOB NOT NULL
);

CREATE TABLE institutions (
    -- 医療機関等コード (10 digits, check digit verified before insert).
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- onshi_core::facility::FacilityKind and OperatingType, as their serde names.
    facility_kind TEXT NOT NULL,
    operating_type TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
