//! The qualification record: the fields of `ResultOfQualificationConfirmation`.
//! Personal fields are never shown in `Debug` output.

use serde::{Deserialize, Serialize};

use crate::codes::{
    DesignatedInstitutionFlag, InsuredCardClassification, LimitCategory, LimitCertificateKind,
    MedicalTreatmentType, PersonalFamilyClassification, ReasonOfLoss, Sex, SingleOrCombinedUse,
    SpecificDisease, TicketType,
};
use crate::ids::{
    BeneficiaryNumber, InsuredBranchNumber, InsuredCardSymbol, InsuredIdentificationNumber,
    InsurerNumber, MedicalInstitutionCode, PublicExpenseNumber,
};
use crate::jst::Date;

/// 一部負担金割合: the co-payment ratio in percent, written on the wire as 3 digits (`030` = 30 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CopayRatio(pub u8);

impl CopayRatio {
    /// Reads the 3-digit form.
    pub fn from_wire(s: &str) -> Option<Self> {
        (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u8>().ok())
            .flatten()
            .filter(|p| *p <= 100)
            .map(Self)
    }

    /// The 3-digit form.
    pub fn to_wire(self) -> String {
        format!("{:03}", self.0)
    }
}

impl Serialize for CopayRatio {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_wire())
    }
}

impl<'de> Deserialize<'de> for CopayRatio {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::from_wire(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "一部負担金割合は3桁の百分率です (copay must be 3 digits, got {s:?})"
            ))
        })
    }
}

/// 資格情報: one person's qualification as the central system returns it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Qualification {
    /// 被保険者証区分 (`A1` = 医療扶助).
    pub card_classification: InsuredCardClassification,
    /// 保険者番号 (absent for 医療扶助 alone).
    #[serde(default)]
    pub insurer_number: Option<InsurerNumber>,
    /// 保険者名称.
    #[serde(default)]
    pub insurer_name: Option<String>,
    /// 被保険者証記号.
    #[serde(default)]
    pub symbol: Option<InsuredCardSymbol>,
    /// 被保険者証番号.
    #[serde(default)]
    pub number: Option<InsuredIdentificationNumber>,
    /// 枝番.
    #[serde(default)]
    pub branch: Option<InsuredBranchNumber>,
    /// 本人・家族の別.
    #[serde(default)]
    pub personal_family: Option<PersonalFamilyClassification>,
    /// 被保険者氏名（世帯主氏名）.
    #[serde(default)]
    pub insured_name: Option<String>,
    /// 氏名.
    pub name: String,
    /// 氏名（その他）: 通称 (alias).
    #[serde(default)]
    pub name_of_other: Option<String>,
    /// 氏名カナ (half-width).
    #[serde(default)]
    pub name_kana: Option<String>,
    /// 氏名カナ（その他）.
    #[serde(default)]
    pub name_of_other_kana: Option<String>,
    /// 性別１ (as printed).
    pub sex1: Sex,
    /// 性別２ (special notation rules).
    #[serde(default)]
    pub sex2: Option<Sex>,
    /// 生年月日.
    #[serde(with = "crate::jst::serde_date")]
    pub birthdate: Date,
    /// 住所.
    #[serde(default)]
    pub address: Option<String>,
    /// 郵便番号 (`123-4567`).
    #[serde(default)]
    pub post_number: Option<String>,
    /// 資格取得年月日.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub qualification_date: Option<Date>,
    /// 資格喪失年月日: the first day not covered.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub disqualification_date: Option<Date>,
    /// 有効開始年月日 of the card.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub card_valid_date: Option<Date>,
    /// 有効終了年月日 of the card.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub card_expiration_date: Option<Date>,
    /// 一部負担金割合.
    #[serde(default)]
    pub copay_ratio: Option<CopayRatio>,
    /// 未就学区分.
    #[serde(default)]
    pub preschool: bool,
    /// 資格喪失事由.
    #[serde(default)]
    pub reason_of_loss: Option<ReasonOfLoss>,
    /// 高齢受給者証 (aged 70–74).
    #[serde(default)]
    pub elderly_recipient: Option<ElderlyRecipientCertificate>,
    /// 限度額適用認定証.
    #[serde(default)]
    pub limit_certificate: Option<LimitCertificate>,
    /// 特定疾病療養受療証.
    #[serde(default)]
    pub specific_diseases: Vec<SpecificDiseaseCertificate>,
    /// 医療扶助 block.
    #[serde(default)]
    pub medical_assistance: Option<MedicalAssistance>,
}

impl std::fmt::Debug for Qualification {
    /// Personal data: only the non-personal shape is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Qualification")
            .field("card_classification", &self.card_classification)
            .field("insurer_number", &self.insurer_number)
            .field("copay_ratio", &self.copay_ratio)
            .finish_non_exhaustive()
    }
}

/// 高齢受給者証.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElderlyRecipientCertificate {
    /// 有効開始年月日.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub valid_from: Option<Date>,
    /// 有効終了年月日.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub valid_until: Option<Date>,
    /// 一部負担金割合.
    pub copay_ratio: CopayRatio,
}

/// 限度額適用認定証.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitCertificate {
    /// 限度額適用認定証区分.
    pub kind: LimitCertificateKind,
    /// 適用区分.
    pub category: LimitCategory,
    /// 有効開始年月日.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub valid_from: Option<Date>,
    /// 有効終了年月日.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub valid_until: Option<Date>,
    /// 長期入院該当年月日.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub long_term_date: Option<Date>,
}

/// 特定疾病療養受療証.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecificDiseaseCertificate {
    /// 認定疾病区分.
    pub disease: SpecificDisease,
    /// 有効開始年月日.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub valid_from: Option<Date>,
    /// 有効終了年月日.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub valid_until: Option<Date>,
    /// 自己負担限度額（月額）in yen.
    #[serde(default)]
    pub monthly_self_pay_limit: Option<u32>,
}

/// The 医療扶助 block: 公費負担者番号, 受給者番号, 福祉事務所 and the tickets.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicalAssistance {
    /// 公費負担者番号 (absent when shown as 未委託).
    #[serde(default)]
    pub payer: Option<PublicExpenseNumber>,
    /// 受給者番号 (absent when shown as 未委託).
    #[serde(default)]
    pub beneficiary: Option<BeneficiaryNumber>,
    /// 福祉事務所名.
    pub welfare_office_name: String,
    /// 医療券・調剤券 registered for the person.
    #[serde(default)]
    pub tickets: Vec<MedicalTicket>,
}

impl std::fmt::Debug for MedicalAssistance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MedicalAssistance")
            .field("payer", &self.payer)
            .field("tickets", &self.tickets.len())
            .finish_non_exhaustive()
    }
}

/// 医療券 / 調剤券: one month's ticket naming the entrusted institution (委託先).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicalTicket {
    /// 医療券・調剤券別.
    pub ticket_type: TicketType,
    /// 診療年月 (`YYYYMM`, kept as the first day of the month).
    #[serde(with = "crate::jst::serde_date")]
    pub month: Date,
    /// 指定医療機関 (the 委託先).
    pub designated_institution: MedicalInstitutionCode,
    /// 指定医療機関確認フラグ, when the central system set it.
    #[serde(default)]
    pub designated_flag: Option<DesignatedInstitutionFlag>,
    /// 診療別.
    #[serde(default)]
    pub treatment_type: Option<MedicalTreatmentType>,
    /// 単独・併用別.
    pub single_or_combined: SingleOrCombinedUse,
    /// 交付番号.
    #[serde(default)]
    pub issue_number: Option<String>,
    /// 有効開始年月日.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub valid_from: Option<Date>,
    /// 有効終了年月日.
    #[serde(default, with = "crate::jst::serde_opt_date")]
    pub valid_until: Option<Date>,
}

impl Qualification {
    /// Whether the record is covered on `date` by its own dates (取得 ≤ date < 喪失).
    pub fn covers(&self, date: Date) -> bool {
        self.qualification_date.is_none_or(|from| from <= date)
            && self.disqualification_date.is_none_or(|lost| date < lost)
    }

    /// Whether this is a 医療扶助 record.
    pub fn is_medical_assistance(&self) -> bool {
        self.card_classification == InsuredCardClassification::MedicalAssistance
    }
}
