-- 合成人口 (the synthetic population): which people were generated from which seed and what kind of
-- case each is, their medical history (薬剤情報 3 years, 診療・手術情報 and 特定健診 5 years), the
-- 医療券・調剤券 naming each institution (委託先), and the virtual cards issued to them.
CREATE TABLE population_runs (
    -- One population per database: a second seed is refused.
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seed BIGINT NOT NULL,
    people BIGINT NOT NULL,
    -- The day the population was generated for (YYYYMMDD).
    today TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    completed_at BIGINT
);

CREATE TABLE population (
    person_id TEXT PRIMARY KEY REFERENCES persons (id),
    idx BIGINT NOT NULL,
    -- The household key (the index of its head).
    household BIGINT NOT NULL
);

CREATE TABLE population_kinds (
    -- generate::PersonKind as its snake_case name.
    kind TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (kind, person_id)
);

-- The history tables hold millions of rows loaded in bulk: person_id is checked by the loader,
-- not by a foreign key, to keep the load fast.
CREATE TABLE medications (
    person_id TEXT NOT NULL,
    dispensed_on TEXT NOT NULL,
    pharmacy_code TEXT NOT NULL,
    prescriber_code TEXT NOT NULL,
    -- Drug master codes and days supplied: `code*days;code*days`.
    drugs TEXT NOT NULL
);
CREATE INDEX medications_person ON medications (person_id, dispensed_on);

CREATE TABLE diagnoses (
    person_id TEXT NOT NULL,
    diagnosed_on TEXT NOT NULL,
    institution_code TEXT NOT NULL,
    -- disease (傷病名, ICD-10) or surgery (手術, 診療行為コード).
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE INDEX diagnoses_person ON diagnoses (person_id, diagnosed_on);

CREATE TABLE checkups (
    person_id TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    institution_code TEXT NOT NULL,
    -- Results in the order of history::CHECKUP_PANEL, `;`-separated.
    results TEXT NOT NULL
);
CREATE INDEX checkups_person ON checkups (person_id, checked_on);

CREATE TABLE medical_tickets (
    person_id TEXT NOT NULL REFERENCES persons (id),
    -- 指定医療機関 (委託先) and 診療年月 (the first day of the month, YYYYMMDD).
    institution_code TEXT NOT NULL,
    month TEXT NOT NULL,
    public_expense_number TEXT NOT NULL,
    recipient_number TEXT NOT NULL,
    -- onshi_core::qualification::MedicalTicket as JSON.
    ticket TEXT NOT NULL
);
CREATE INDEX medical_tickets_entrusted ON medical_tickets (institution_code, month);

CREATE TABLE person_cards (
    -- A virtual マイナンバーカード: demo::issue(seed, card_index, today); its index mod 4 picks the
    -- PIN, the token (card, Android, iPhone) and whether the certificate is in its expiry grace.
    person_id TEXT PRIMARY KEY REFERENCES persons (id),
    card_index BIGINT NOT NULL UNIQUE,
    issued_at BIGINT NOT NULL
);
