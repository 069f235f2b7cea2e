//! デモ環境 (the demo): what `cargo xtask run` starts on — a seeded population, a demo
//! 訪問看護ステーション, a demo 柔整 施術所 (資格確認限定型) and a demo clinic, one device each (key files
//! in the demo folder), the institutions' URLs, and the demo cards' PINs printed for trying things.
//! Everything is made once and found again on the next start. Demo only: the population is made-up
//! people, the cards chain to a TEST root, and their PINs are printed on purpose.

use std::path::{Path, PathBuf};

use onshi_core::card::demo::DEMO_CARDS;
use onshi_core::facility::{FacilityKind, OperatingType};

use crate::device::DeviceKind;
use crate::institution_url::{self, UrlKind};
use crate::institutions::Institution;
use crate::population::{self, DEMO_INSTITUTIONS, store::SeedOptions};
use crate::state::AppState;

/// A demo institution: who it is and what it runs.
struct DemoInstitution {
    code: &'static str,
    name: &'static str,
    facility: FacilityKind,
    operating: OperatingType,
    device: &'static str,
    kind: DeviceKind,
    urls: &'static [UrlKind],
}

const INSTITUTIONS: [DemoInstitution; 3] = [
    DemoInstitution {
        code: DEMO_INSTITUTIONS[0],
        name: "デモ訪問看護ステーション",
        facility: FacilityKind::HomeNursingStation,
        operating: OperatingType::ConsentAtHome,
        device: "station-tablet",
        kind: DeviceKind::Tablet,
        urls: &[UrlKind::HomeVisit],
    },
    DemoInstitution {
        code: DEMO_INSTITUTIONS[1],
        name: "デモ整骨院（柔道整復）",
        facility: FacilityKind::JudoTherapyClinic,
        operating: OperatingType::QualificationOnly,
        device: "seikotsuin-pc",
        kind: DeviceKind::Pc,
        urls: &[],
    },
    DemoInstitution {
        code: DEMO_INSTITUTIONS[2],
        name: "デモ内科クリニック",
        facility: FacilityKind::MedicalClinic,
        operating: OperatingType::ConsentAtHome,
        device: "clinic-pc",
        kind: DeviceKind::Pc,
        urls: &[UrlKind::HomeVisit, UrlKind::Online],
    },
];

/// One demo institution, ready.
#[derive(Debug, Clone)]
pub struct ReadyInstitution {
    /// 名称.
    pub name: String,
    /// Its device's key file.
    pub device_key: PathBuf,
    /// Its URLs by kind.
    pub urls: Vec<(UrlKind, String)>,
}

/// What the demo holds, for printing.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    /// People seeded now (0 when the population was already there).
    pub seeded: u64,
    /// The institutions.
    pub institutions: Vec<ReadyInstitution>,
    /// The 一括照会 sample list and its rows.
    pub bulk_sample: Option<(PathBuf, usize)>,
}

/// Rows of the demo's 一括照会 sample list.
const BULK_SAMPLE_ROWS: usize = 1000;

/// Writes the 一括照会 sample list (`dir/bulk-sample.csv`) once, from the seeded population.
async fn write_bulk_sample(
    state: &AppState,
    dir: &Path,
) -> Result<Option<(PathBuf, usize)>, String> {
    let path = dir.join("bulk-sample.csv");
    let Some(run) = population::store::population_run(&state.db)
        .await
        .map_err(|e| format!("{}: {}", e.code, e.message.en))?
    else {
        return Ok(None);
    };
    if !path.exists() {
        let bytes =
            population::sample_list::sample_list(run.seed, run.today, run.people, BULK_SAMPLE_ROWS)
                .map_err(|e| format!("sample list: {e}"))?;
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let rows = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .lines()
        .count()
        .saturating_sub(1);
    Ok(Some((path, rows)))
}

/// Seeds `people` (first start only), registers the demo institutions, their devices (key files in
/// `dir/devices`) and URLs.
pub async fn prepare(state: &AppState, dir: &Path, people: u64) -> Result<DemoSummary, String> {
    let err = |e: crate::error::ApiError| format!("{}: {}", e.code, e.message.en);
    let seeded = if population::store::population_seed(&state.db)
        .await
        .map_err(err)?
        .is_none()
    {
        population::seed(
            state,
            SeedOptions {
                people,
                demo_cards: true,
            },
        )
        .await
        .map_err(err)?
        .people
    } else {
        0
    };
    let devices = dir.join("devices");
    std::fs::create_dir_all(&devices).map_err(|e| format!("{}: {e}", devices.display()))?;
    let now = state.now();
    let mut institutions = Vec::new();
    for d in &INSTITUTIONS {
        Institution {
            code: d.code.to_owned(),
            name: d.name.to_owned(),
            facility: d.facility,
            operating: d.operating,
        }
        .save(&state.db, now)
        .await
        .map_err(err)?;
        let key = devices.join(format!("{}.json", d.device));
        if !key.exists() {
            crate::device::cli::add(&state.db, d.code, d.device, d.kind, &key, now).await?;
        }
        let mut urls = Vec::new();
        for kind in d.urls {
            let issued = match institution_url::current(state, d.code, *kind).await {
                Ok(u) => u,
                Err(_) => institution_url::issue(state, d.code, *kind)
                    .await
                    .map_err(err)?,
            };
            urls.push((*kind, issued.url));
        }
        institutions.push(ReadyInstitution {
            name: d.name.to_owned(),
            device_key: key,
            urls,
        });
    }
    let bulk_sample = write_bulk_sample(state, dir).await?;
    Ok(DemoSummary {
        seeded,
        institutions,
        bulk_sample,
    })
}

/// The demo's description for the terminal: URLs, a QR code of the station's URL, devices, cards.
pub fn describe(summary: &DemoSummary, base: &str, seed: u64) -> String {
    let mut out = String::new();
    out.push_str("\n── onshi demo (TEST ONLY: made-up people, TEST card roots) ──\n");
    if summary.seeded > 0 {
        out.push_str(&format!("seeded {} synthetic people\n", summary.seeded));
    }
    for i in &summary.institutions {
        out.push_str(&format!(
            "\n{}\n  device key: {}\n",
            i.name,
            i.device_key.display()
        ));
        for (kind, url) in &i.urls {
            out.push_str(&format!("  {} URL: {url}\n", kind.label_ja()));
        }
    }
    if let Some(url) = summary
        .institutions
        .first()
        .and_then(|i| i.urls.first())
        .map(|(_, u)| u.clone())
        && let Ok(code) = qrcode::QrCode::new(url.as_bytes())
    {
        out.push_str("\n訪問診療等 QR (the station's URL):\n");
        out.push_str(
            &code
                .render::<qrcode::render::unicode::Dense1x2>()
                .quiet_zone(true)
                .build(),
        );
        out.push('\n');
    }
    if let Some((path, rows)) = &summary.bulk_sample {
        out.push_str(&format!(
            "\n一括照会 sample list ({rows} rows): {}\n",
            path.display()
        ));
    }
    out.push_str("\ndemo cards (PINs printed for the demo only):\n");
    for (i, card) in DEMO_CARDS.iter().enumerate() {
        out.push_str(&format!(
            "  card {i}: {:<28} {:?}  PIN {}{}\n",
            card.holder,
            card.token,
            card.pin,
            if card.certificate == onshi_core::card::demo::DemoCertificate::ExpiredInGrace {
                "  (certificate expired: 3-month grace, qualification only)"
            } else {
                ""
            }
        ));
    }
    out.push_str(&format!(
        "  put a card on the virtual reader: target/debug/onshi-virtual-card --card N --seed {seed}\n\
         service: {base}/   metrics: {base}/metrics   API: {base}/v1/openapi.json\n"
    ));
    out
}
