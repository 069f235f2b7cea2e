//! 資格情報 (qualification): the record of one person's coverage, how its validity on a
//! 資格確認日 is determined, the 医療扶助 display patterns, and checks that flag insurer data that
//! cannot be right.

mod checks;
mod medaid;
mod record;
mod validity;

pub use checks::{DataWarning, check_record};
pub use medaid::{MedAidPattern, MedAidQuery, MedAidSituation, medaid_pattern, medaid_view};
pub use record::{
    CopayRatio, ElderlyRecipientCertificate, LimitCertificate, MedicalAssistance, MedicalTicket,
    Qualification, SpecificDiseaseCertificate,
};
pub use validity::{
    Determination, QueryKey, RecordIndex, RegisteredRecord, Verdict, determine_validity, outcome,
};
