-- 一括照会 (bulk inquiry) jobs and the OQS file gateway's bookkeeping.
CREATE TABLE bulk_jobs (
    -- Random hex; also the 受付番号 (ReceptionNumber) of an OQS bulk upload.
    id TEXT PRIMARY KEY,
    -- 医療機関等コード of the uploading institution: a job is visible to it only.
    institution_code TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- 資格確認日 every row is determined on (YYYYMMDD).
    confirmation_date TEXT NOT NULL,
    -- csv | json | xml (the upload's format).
    format TEXT NOT NULL,
    -- processing | completed.
    status TEXT NOT NULL,
    total BIGINT NOT NULL,
    -- Rows 0..done have their result; processing resumes here after a restart.
    done BIGINT NOT NULL,
    completed_at BIGINT,
    -- OQS uploads: 任意のファイル識別子 (echoed) and the file's encoding (UTF-8 | Shift_JIS).
    arbitrary_file_identifier TEXT,
    xml_encoding TEXT
);
CREATE INDEX bulk_jobs_status ON bulk_jobs (status);
CREATE INDEX bulk_jobs_institution ON bulk_jobs (institution_code, created_at);

CREATE TABLE bulk_rows (
    job_id TEXT NOT NULL REFERENCES bulk_jobs (id),
    -- 0-based position in the upload (the processing order).
    row_no BIGINT NOT NULL,
    -- The row as read (JSON): its line, query keys or why it could not be read.
    input TEXT NOT NULL,
    -- pending | valid | invalid | superseded | not_found | ambiguous | error.
    status TEXT NOT NULL,
    -- The determination (JSON), once processed.
    result TEXT,
    PRIMARY KEY (job_id, row_no)
);
CREATE INDEX bulk_rows_status ON bulk_rows (job_id, status, row_no);

-- 照会番号 (reference numbers) institutions registered for people (OQS-IF-003/009).
CREATE TABLE reference_numbers (
    institution_code TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id),
    reference_number TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    PRIMARY KEY (institution_code, person_id)
);

-- Request files the gateway has taken from `req`: recorded before answering, marked answered
-- once the response file is in place, so a restart redoes exactly the unanswered ones.
CREATE TABLE gateway_requests (
    institution_code TEXT NOT NULL,
    file_name TEXT NOT NULL,
    -- SHA-256 of the file's bytes (hex): the same name with other content is another request.
    sha256 TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    -- received | answered.
    status TEXT NOT NULL,
    -- The response file's name, and what it said when that depends on the moment (a 一括照会
    -- download that found the job still processing answers 処理中 again on a redo).
    response_name TEXT,
    decision TEXT,
    answered_at BIGINT,
    PRIMARY KEY (institution_code, file_name, sha256)
);

-- Card reads for the `face` folder (home-visit and 資格確認限定型 checks): each is written once as
-- an OQSsiquc01res_face_* file; delivered_at is the persisted cursor.
CREATE TABLE face_events (
    id INTEGER PRIMARY KEY,
    institution_code TEXT NOT NULL,
    read_at BIGINT NOT NULL,
    confirmation_date TEXT NOT NULL,
    -- The determination and the record shown (JSON).
    result TEXT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX face_events_pending ON face_events (institution_code, delivered_at, id);
