-- 資格情報の登録 (the registry): people and the qualifications insurers and welfare offices
-- registered for them, and マイナ保険証の利用登録 (which card certificate belongs to whom).
CREATE TABLE persons (
    -- The central system's opaque person key (never the 個人番号).
    id TEXT PRIMARY KEY,
    birthdate TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE qualifications (
    id BIGSERIAL PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons (id),
    -- Keys for number queries; NULL for a 医療扶助-only record.
    insurer_number TEXT,
    number TEXT,
    birthdate TEXT NOT NULL,
    -- 医療扶助: 公費負担者番号 and 受給者番号 of the current ticket holder.
    public_expense_number TEXT,
    recipient_number TEXT,
    -- onshi_core::qualification::Qualification as JSON.
    record TEXT NOT NULL
);
CREATE INDEX qualifications_numbers ON qualifications (insurer_number, number, birthdate);
CREATE INDEX qualifications_person ON qualifications (person_id);
CREATE INDEX qualifications_medaid ON qualifications (public_expense_number, recipient_number);

CREATE TABLE card_registrations (
    -- onshi_core::card::verify::PersonLinkKey of the 利用者証明用電子証明書.
    link_key TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons (id),
    registered_at BIGINT NOT NULL
);
CREATE INDEX card_registrations_person ON card_registrations (person_id);
