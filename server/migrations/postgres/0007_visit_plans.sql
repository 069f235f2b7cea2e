-- 訪問予定 (the visit plan): which patients under an institution's care are visited on which day,
-- shared by every device of the institution (the office PC plans tomorrow's round, the nurse's tablet
-- shows it).
CREATE TABLE visit_plans (
    care_id TEXT NOT NULL REFERENCES care_relationships (id),
    institution_code TEXT NOT NULL,
    -- JST calendar day, YYYYMMDD.
    visit_date TEXT NOT NULL,
    planned_at BIGINT NOT NULL,
    PRIMARY KEY (care_id, visit_date)
);
CREATE INDEX visit_plans_day ON visit_plans (institution_code, visit_date);
