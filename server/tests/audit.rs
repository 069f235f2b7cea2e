//! 監査ログ (the access log): appends in the caller's transaction, tampering and deletion found by
//! re-walking the chain, and concurrent appenders forming one chain on each backend.

use onshi_core::facility::{FacilityKind, OperatingType};
use onshi_server::audit::{self, AuditEntry, Break};
use onshi_server::db::Db;
use onshi_server::institutions::Institution;
use onshi_server::testing::{fresh_databases, test_now};

fn entry(person: &str, action: &str) -> AuditEntry {
    AuditEntry {
        at: test_now(),
        institution: "0110113719".into(),
        device_id: Some("d1".into()),
        person: person.into(),
        action: action.into(),
        information: "medication".into(),
        basis: "consent:c1".into(),
    }
}

async fn append(db: &Db, e: &AuditEntry) -> audit::AuditReceipt {
    let mut tx = db.pool.begin().await.unwrap_or_else(|e| panic!("{e}"));
    let receipt = audit::append(&mut tx, e)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
    receipt
}

async fn exec(db: &Db, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn verify(db: &Db) -> audit::ChainReport {
    audit::verify(db).await.unwrap_or_else(|e| panic!("{e}"))
}

async fn log_of_four(url: &str) -> Db {
    let db = Db::open(url).await.unwrap_or_else(|e| panic!("{e}"));
    for (i, person) in ["p1", "p2", "p1", "p3"].iter().enumerate() {
        let r = append(&db, &entry(person, "view")).await;
        assert_eq!(r.seq, i as i64 + 1);
        assert_eq!(r.hash.len(), 64);
    }
    db
}

#[tokio::test]
async fn an_intact_chain_verifies_and_lists_a_persons_accesses() {
    for url in fresh_databases().await {
        let db = log_of_four(&url).await;
        Institution {
            code: "0110113719".into(),
            name: "札幌テスト診療所".into(),
            facility: FacilityKind::MedicalClinic,
            operating: OperatingType::ConsentAtHome,
        }
        .save(&db, test_now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let report = verify(&db).await;
        assert!(report.is_intact(), "{report:?}");
        assert_eq!(report.rows, 4);

        let p1 = audit::accesses_for_person(&db, "p1")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p1.iter().map(|v| v.seq).collect::<Vec<_>>(), vec![1, 3]);
        assert_eq!(p1[0].institution_name.as_deref(), Some("札幌テスト診療所"));
        assert_eq!(p1[0].at, test_now());
        assert!(
            audit::accesses_for_person(&db, "nobody")
                .await
                .unwrap_or_default()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn a_rolled_back_append_leaves_no_trace() {
    for url in fresh_databases().await {
        let db = log_of_four(&url).await;
        let mut tx = db.pool.begin().await.unwrap_or_else(|e| panic!("{e}"));
        audit::append(&mut tx, &entry("p9", "view"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        tx.rollback().await.unwrap_or_else(|e| panic!("{e}"));
        let report = verify(&db).await;
        assert!(report.is_intact());
        assert_eq!(report.rows, 4);
        assert_eq!(append(&db, &entry("p9", "view")).await.seq, 5);
    }
}

#[tokio::test]
async fn tampering_and_deletion_are_found_at_the_row() {
    for url in fresh_databases().await {
        // A changed field.
        let db = log_of_four(&url).await;
        exec(
            &db,
            "UPDATE audit_log SET information = 'diagnosis' WHERE seq = 2",
        )
        .await;
        assert_eq!(verify(&db).await.first_broken, Some((2, Break::Tampered)));

        // A changed time.
        let db = log_of_four(&fresh_url(&url).await).await;
        exec(&db, "UPDATE audit_log SET at = at + 1 WHERE seq = 3").await;
        assert_eq!(verify(&db).await.first_broken, Some((3, Break::Tampered)));

        // A row deleted in the middle.
        let db = log_of_four(&fresh_url(&url).await).await;
        exec(&db, "DELETE FROM audit_log WHERE seq = 2").await;
        let report = verify(&db).await;
        assert_eq!(report.first_broken, Some((3, Break::Missing)));
        assert_eq!(report.rows, 1);

        // The last row deleted: only the head knows.
        let db = log_of_four(&fresh_url(&url).await).await;
        exec(&db, "DELETE FROM audit_log WHERE seq = 4").await;
        assert_eq!(
            verify(&db).await.first_broken,
            Some((4, Break::HeadMismatch))
        );

        // A row rewritten with a hash recomputed to match: the next row's link breaks.
        let db = log_of_four(&fresh_url(&url).await).await;
        exec(&db, "UPDATE audit_log SET person = 'p9' WHERE seq = 2").await;
        let prev: Vec<u8> = sqlx::query_scalar("SELECT prev_hash FROM audit_log WHERE seq = 2")
            .fetch_one(&db.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut forged = entry("p9", "view");
        forged.device_id = Some("d1".into());
        let hash = audit::row_hash(&prev, &audit::canonical(2, &forged));
        sqlx::query("UPDATE audit_log SET hash = $1 WHERE seq = 2")
            .bind(hash.to_vec())
            .execute(&db.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(verify(&db).await.first_broken, Some((3, Break::LinkBroken)));
    }
}

/// A fresh database of the same backend as `url`.
async fn fresh_url(url: &str) -> String {
    if url.starts_with("sqlite:") {
        "sqlite::memory:".to_owned()
    } else {
        let server = std::env::var(onshi_server::testing::POSTGRES_ENV).unwrap_or_default();
        onshi_server::testing::fresh_postgres(&server).await
    }
}

#[tokio::test]
async fn concurrent_appenders_form_one_chain() {
    // SQLite in memory has one connection, so it is a file here: appenders really contend.
    let file = std::env::temp_dir().join(format!(
        "onshi-audit-{}.db",
        onshi_server::keys::random_id().unwrap_or_else(|e| panic!("{e}"))
    ));
    let mut urls = vec![format!("sqlite://{}", file.display())];
    if let Ok(server) = std::env::var(onshi_server::testing::POSTGRES_ENV) {
        urls.push(onshi_server::testing::fresh_postgres(&server).await);
    }
    for url in urls {
        let db = Db::open(&url).await.unwrap_or_else(|e| panic!("{e}"));
        let appenders = (0..2).map(|worker| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut seqs = Vec::new();
                for i in 0..40 {
                    let person = format!("w{worker}-{i}");
                    seqs.push(append(&db, &entry(&person, "view")).await.seq);
                }
                seqs
            })
        });
        let mut all: Vec<i64> = Vec::new();
        for handle in appenders.collect::<Vec<_>>() {
            all.extend(handle.await.unwrap_or_else(|e| panic!("{e}")));
        }
        all.sort_unstable();
        assert_eq!(all, (1..=80).collect::<Vec<_>>(), "{url}");
        let report = verify(&db).await;
        assert!(report.is_intact(), "{url}: {report:?}");
        assert_eq!(report.rows, 80);
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}
