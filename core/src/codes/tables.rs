//! The 44 tables, in the order of the interface's 業務コード specification.

code_table! {
    /// OQSCD001 限度額適用認定証同意フラグ: consent to provide 限度額 data (number-based desk checks).
    LimitCertificateConsent = "OQSCD001" "限度額適用認定証同意フラグ" {
        NotConsented = "0" => "未同意",
        Consented = "1" => "同意",
    }
}

code_table! {
    /// OQSCD002 照会区分: the credential the patient presented.
    ReferenceClassification = "OQSCD002" "照会区分" {
        MyNumberCard = "1" => "マイナンバーカード",
        InsuranceCardInfo = "2" => "被保険者証情報",
    }
}

code_table! {
    /// OQSCD003 処理結果区分: the file-level result.
    SegmentOfResult = "OQSCD003" "処理結果区分" {
        Completed = "1" => "正常終了",
        Processing = "2" => "処理中",
        Aborted = "9" => "異常終了",
    }
}

code_table! {
    /// OQSCD004 処理結果状況: the person-level result.
    ProcessingResultStatus = "OQSCD004" "処理結果状況" {
        Completed = "1" => "正常終了",
        Error = "2" => "エラー",
    }
}

code_table! {
    /// OQSCD005 文字コード識別: the character set a result declares.
    ///
    /// **The sources conflict.** One decoder maps `0` UTF-8, `1` Shift_JIS; another maps `1` UTF-8,
    /// `2` Shift_JIS. onshi follows the first, because a public face-result sample carries `0` in a
    /// UTF-8 file. This table is the one place to change if the official 別紙5-1 says otherwise;
    /// the readers of XML also trust the XML declaration over this code.
    CharacterCode = "OQSCD005" "文字コード識別" {
        Utf8 = "0" => "UTF-8",
        ShiftJis = "1" => "Shift_JIS",
    }
}

code_table! {
    /// OQSCD006 資格有効性: whether the person is covered on the 資格確認日.
    QualificationValidity = "OQSCD006" "資格有効性" {
        Valid = "1" => "有効",
        Invalid = "2" => "無効",
        InvalidNewQualification = "3" => "無効（新しい資格あり）",
        NotFound = "4" => "該当資格なし",
        MultipleMatches = "5" => "複数該当",
        /// Only in newer tables; meaning undocumented. onshi treats it as valid with a warning.
        ValidUnregistered = "6" => "有効（未登録）",
    }
}

code_table! {
    /// OQSCD007 性別.
    Sex = "OQSCD007" "性別" {
        Male = "1" => "男",
        Female = "2" => "女",
        NotSet = "3" => "未設定",
    }
}

code_table! {
    /// OQSCD008 資格喪失事由: why a qualification was lost.
    ReasonOfLoss = "OQSCD008" "資格喪失事由" {
        Death = "01" => "死亡",
        PublicAssistanceStarted = "02" => "生活保護受給開始",
        OtherInsuranceAcquired = "03" => "医療保険等の資格取得",
        Other = "99" => "その他",
    }
}

code_table! {
    /// OQSCD009 本人・家族区分.
    PersonalFamilyClassification = "OQSCD009" "本人・家族区分" {
        Insured = "1" => "本人",
        Dependant = "2" => "家族",
    }
}

code_table! {
    /// OQSCD010 被保険者証区分: the kind of card; `A1` is 医療扶助.
    InsuredCardClassification = "OQSCD010" "被保険者証区分" {
        General = "01" => "被保険者証（一般）",
        Retired = "02" => "被保険者証（退職）",
        ShortTermGeneral = "03" => "短期被保険者証（一般）",
        ShortTermRetired = "04" => "短期被保険者証（退職）",
        /// One source labels it 特別療養費支給対象者.
        QualificationCertificate = "05" => "被保険者資格証明書",
        SpecialRetiree = "06" => "特例退職被保険者証",
        SelfDefenseForces = "07" => "自衛官診療証",
        MedicalAssistance = "A1" => "医療扶助",
    }
}

code_table! {
    /// OQSCD011 限度額適用認定証区分.
    LimitCertificateKind = "OQSCD011" "限度額適用認定証区分" {
        Limit = "01" => "限度額適用認定証",
        LimitAndReduction = "02" => "限度額適用・標準負担額減額認定証",
        Reduction = "03" => "標準負担額減額認定証",
    }
}

code_table! {
    /// OQSCD012 限度額適用認定証適用区分: the high-cost ceiling category.
    LimitCategory = "OQSCD012" "限度額適用認定証適用区分" {
        A = "A01" => "ア",
        I = "A02" => "イ",
        U = "A03" => "ウ",
        E = "A04" => "エ",
        O = "A05" => "オ",
        OBoundary = "A06" => "オ（境）",
        ActiveIncome3 = "B01" => "現役並みⅢ",
        ActiveIncome2 = "B02" => "現役並みⅡ",
        ActiveIncome1 = "B03" => "現役並みⅠ",
        General = "B04" => "一般",
        LowIncome2 = "B05" => "低所得Ⅱ",
        LowIncome1 = "B06" => "低所得Ⅰ",
        LowIncome1Welfare = "B07" => "低所得Ⅰ（老福）",
        LowIncome1Boundary = "B08" => "低所得Ⅰ（境）",
        General2 = "B09" => "一般Ⅱ",
        General1 = "B10" => "一般Ⅰ",
    }
}

code_table! {
    /// OQSCD013 特定疾病療養受療証認定疾病区分.
    SpecificDisease = "OQSCD013" "特定疾病療養受療証認定疾病区分" {
        Dialysis = "1" => "人工透析を必要とする慢性腎不全",
        Hemophilia = "2" => "先天性血液凝固因子障害（第VIII因子障害又は第IX因子障害）",
        HivFromBloodProducts = "3" => "血液凝固因子製剤の投与に起因するHIV感染症",
    }
}

code_table! {
    /// OQSCD014 限度額適用認定証情報変更有無 (bulk results).
    LimitCertificateChanged = "OQSCD014" "限度額適用認定証情報変更有無" {
        Unchanged = "0" => "変更なし",
        ChangedOrUnknown = "1" => "変更あり または 判定不能",
    }
}

code_table! {
    /// OQSCD015 未就学区分.
    PreschoolClassification = "OQSCD015" "未就学区分" {
        Preschool = "1" => "未就学該当",
    }
}

code_table! {
    /// OQSCD016 同意区分: the state of one consent flag in a result.
    ConsentStatus = "OQSCD016" "同意区分" {
        NoConsent = "0" => "同意なし",
        Consented = "1" => "同意あり",
        Expired = "2" => "同意有効期限切れ",
        Unobtainable = "3" => "同意取得困難",
    }
}

code_table! {
    /// OQSCD017 処方箋発行形態.
    PrescriptionIssueSelect = "OQSCD017" "処方箋発行形態" {
        Electronic = "1" => "電子",
        Paper = "2" => "紙",
    }
}

code_table! {
    /// OQSCD018 医療券・調剤券別.
    TicketType = "OQSCD018" "医療券・調剤券別" {
        MedicalTicket = "01" => "医療券",
        DispensingTicket = "02" => "調剤券",
    }
}

code_table! {
    /// OQSCD019 診療別.
    MedicalTreatmentType = "OQSCD019" "診療別" {
        Inpatient = "01" => "入院",
        Outpatient = "02" => "入院外",
        Dental = "03" => "歯科",
        Dispensing = "04" => "調剤",
        HomeNursing = "05" => "訪問看護",
    }
}

code_table! {
    /// OQSCD020 単独・併用別: 医療扶助 alone or combined with health insurance.
    SingleOrCombinedUse = "OQSCD020" "単独・併用別" {
        Single = "01" => "単独",
        Combined = "02" => "併用",
    }
}

code_table! {
    /// OQSCD021 社会保険状況.
    StatusOfSocialInsurance = "OQSCD021" "社会保険状況" {
        Present = "01" => "あり",
        Absent = "02" => "なし",
    }
}

code_table! {
    /// OQSCD022 社会保険状況の整合性フラグ.
    ConsistencyFlag = "OQSCD022" "社会保険状況の整合性フラグ" {
        Inconsistent = "1" => "不整合あり",
    }
}

code_table! {
    /// OQSCD023 感染症法第37条の2の該当状況.
    StatusOfInfection = "OQSCD023" "感染症法第37条の2の該当状況" {
        Applies = "01" => "あり",
        DoesNotApply = "02" => "なし",
    }
}

code_table! {
    /// OQSCD024 後期高齢者医療の該当状況.
    StatusOfElderlyMedicalCare = "OQSCD024" "後期高齢者医療の該当状況" {
        Applies = "01" => "あり",
        DoesNotApply = "02" => "なし",
    }
}

code_table! {
    /// OQSCD025 都道府県費の該当状況.
    StatusOfPrefecturalExpenses = "OQSCD025" "都道府県費の該当状況" {
        Applies = "01" => "あり",
        DoesNotApply = "02" => "なし",
    }
}

code_table! {
    /// OQSCD026 指定医療機関確認フラグ: whether the ticket names this institution.
    DesignatedInstitutionFlag = "OQSCD026" "指定医療機関確認フラグ" {
        Matches = "0" => "一致",
        DoesNotMatch = "1" => "不一致",
    }
}

code_table! {
    /// OQSCD027 同一個人有無フラグ.
    SamePersonFlag = "OQSCD027" "同一個人有無フラグ" {
        SamePersonExists = "1" => "同一個人あり",
    }
}

code_table! {
    /// OQSCD028 診療区分: the care setting of a consent or request.
    MedicalTreatmentFlag = "OQSCD028" "診療区分" {
        Outpatient = "1" => "外来",
        HomeVisit = "2" => "訪問診療等",
        Online = "3" => "オンライン診療等",
        Emergency = "4" => "救急時",
    }
}

code_table! {
    /// OQSCD029 医療情報種別.
    MedicalInformationKind = "OQSCD029" "医療情報種別" {
        HealthCheckups = "TKK" => "特定健診情報",
        Medication = "YZK" => "薬剤情報等",
    }
}

code_table! {
    /// OQSCD030 薬剤情報等 表示 (meaning not documented).
    MedicationDisplay = "OQSCD030" "薬剤情報等表示" {
        Hide = "0" => "表示しない",
        Show = "1" => "表示する",
    }
}

code_table! {
    /// OQSCD031 同意有効期限切れ理由: why a consent ended.
    ConsentExpiryReason = "OQSCD031" "同意有効期限切れ理由" {
        /// The official label only points to the spec's notes; onshi reads it as "the window for the
        /// type of care ended" (low confidence).
        WindowEnded = "0" => "診療形態毎に異なるため、３．コード定義に関する補足を参照",
        RevokedByInstitution = "1" => "医療機関による同意取り消し",
        RevokedByPatient = "2" => "患者による同意取り消し",
        RevokedByUsageChange = "3" => "用途変更による同意取り消し",
    }
}

code_table! {
    /// OQSCD032 資格情報変更確認フラグ.
    QualificationChangedFlag = "OQSCD032" "資格情報変更確認フラグ" {
        Matches = "0" => "一致",
        DoesNotMatch = "1" => "不一致",
    }
}

code_table! {
    /// OQSCD033 URL取得区分: which institution URL.
    UrlKind = "OQSCD033" "URL取得区分" {
        HomeVisit = "2" => "訪問診療等",
        Online = "3" => "オンライン診療等",
    }
}

code_table! {
    /// OQSCD034 二次元コード出力形式 (the meaning is inferred from the values).
    QrOutputFormat = "OQSCD034" "二次元コード出力形式" {
        Pdf = "1" => "PDF",
        Png = "2" => "PNG",
    }
}

code_table! {
    /// OQSCD035 URL変更区分 (the meaning is inferred from the values).
    UrlChange = "OQSCD035" "URL変更区分" {
        Keep = "0" => "変更しない",
        Change = "1" => "変更する",
    }
}

code_table! {
    /// OQSCD036 閲覧同意情報種別: the category of data a consent covers (one source; the mapping
    /// to the consent screen's items is provisional, see `consent`).
    ConsentInformationKind = "OQSCD036" "閲覧同意情報種別" {
        SpecificDiseaseCertificate = "TSR" => "特定疾病療養受療証情報",
        HealthCheckups = "TKK" => "特定健診情報",
        Medication = "YZK" => "薬剤情報",
        Care = "SRJ" => "診療情報",
        Surgery = "SHJ" => "手術情報",
    }
}

code_table! {
    /// OQSCD037 利用設定区分.
    UsageSetting = "OQSCD037" "利用設定区分" {
        NotUsed = "0" => "利用しない",
        Used = "1" => "利用する",
    }
}

code_table! {
    /// OQSCD038 電子処方箋利用区分.
    ElectronicPrescriptionUse = "OQSCD038" "電子処方箋利用区分" {
        NotUsed = "0" => "利用しない",
        ElectronicOnly = "1" => "電子のみ",
        ElectronicAndPaper = "2" => "電子+紙併用",
        PaperOnly = "3" => "紙のみ",
    }
}

code_table! {
    /// OQSCD039 処方箋発行形態選択タイミング.
    PrescriptionChoiceTiming = "OQSCD039" "処方箋発行形態選択タイミング" {
        OtherThanQualificationCheck = "1" => "資格確認時以外",
        AtQualificationCheck = "2" => "資格確認時",
    }
}

code_table! {
    /// OQSCD040 情報要求パターン.
    InformationRequestPattern = "OQSCD040" "情報要求パターン" {
        EmergencySummary = "1" => "救急用サマリー",
        EmergencyFull = "2" => "救急用全量版",
        PrescriptionSummaryFull = "3" => "電子処方箋+サマリー+全量",
        CurrentMedication = "4" => "現行の薬剤情報",
        CurrentCareAndMedication = "5" => "現行の診療/薬剤情報",
        CurrentHealthCheckups = "6" => "現行の特定健診情報",
    }
}

code_table! {
    /// OQSCD041 二要素認証要素区分.
    TwoFactorElement = "OQSCD041" "二要素認証要素区分" {
        Knowledge = "1" => "記憶",
        Biometric = "2" => "生体",
        Possession = "3" => "物理媒体",
    }
}

code_table! {
    /// OQSCD042 二要素認証方式区分. Codes repeat under each element of OQSCD041, so onshi writes
    /// them as `element-code`; the source lists only the ends of the biometric range (01 指紋 …
    /// 05 虹彩), so 02–04 are named by number until the official labels are known.
    TwoFactorMethod = "OQSCD042" "二要素認証方式区分" {
        IdPassword = "1-01" => "ID/PW",
        Pin = "1-02" => "PIN",
        SecretQuestion = "1-03" => "秘密の質問",
        Fingerprint = "2-01" => "指紋",
        Biometric02 = "2-02" => "生体02",
        Biometric03 = "2-03" => "生体03",
        Biometric04 = "2-04" => "生体04",
        Iris = "2-05" => "虹彩",
        IcCard = "3-01" => "ICカード",
        OneTimePassword = "3-02" => "OTP",
        OtherPossession = "3-03" => "その他",
    }
}

code_table! {
    /// OQSCD043 救急時閲覧権限有無.
    EmergencyViewPermission = "OQSCD043" "救急時閲覧権限有無" {
        None = "0" => "なし",
        Granted = "1" => "あり",
    }
}

code_table! {
    /// OQSCD044 連携システムID, with the codes exactly as the source writes them (their mixed
    /// widths suggest a bit mask; unconfirmed).
    LinkedSystem = "OQSCD044" "連携システムID" {
        MedicalExpenseSubsidy = "01" => "医療費助成",
        MaternalChildHealth = "2" => "母子保健",
        Vaccination = "4" => "予防接種",
        LongTermCare = "8" => "介護保険",
    }
}

code_tables_index!(
    LimitCertificateConsent,
    ReferenceClassification,
    SegmentOfResult,
    ProcessingResultStatus,
    CharacterCode,
    QualificationValidity,
    Sex,
    ReasonOfLoss,
    PersonalFamilyClassification,
    InsuredCardClassification,
    LimitCertificateKind,
    LimitCategory,
    SpecificDisease,
    LimitCertificateChanged,
    PreschoolClassification,
    ConsentStatus,
    PrescriptionIssueSelect,
    TicketType,
    MedicalTreatmentType,
    SingleOrCombinedUse,
    StatusOfSocialInsurance,
    ConsistencyFlag,
    StatusOfInfection,
    StatusOfElderlyMedicalCare,
    StatusOfPrefecturalExpenses,
    DesignatedInstitutionFlag,
    SamePersonFlag,
    MedicalTreatmentFlag,
    MedicalInformationKind,
    MedicationDisplay,
    ConsentExpiryReason,
    QualificationChangedFlag,
    UrlKind,
    QrOutputFormat,
    UrlChange,
    ConsentInformationKind,
    UsageSetting,
    ElectronicPrescriptionUse,
    PrescriptionChoiceTiming,
    InformationRequestPattern,
    TwoFactorElement,
    TwoFactorMethod,
    EmergencyViewPermission,
    LinkedSystem,
);
