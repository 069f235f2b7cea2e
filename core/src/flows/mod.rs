//! Flow rules: what each step of a home visit, online consultation, 限定型 check, 再照会 or
//! expired-certificate case allows, as functions that return the next state or a typed refusal.

mod access;
mod cert_grace;
mod first_visit;
mod limited_check;
mod reinquiry;

pub use access::{
    AccessRefusal, AccessRequest, DisasterConsent, DisasterMeasure, Grant, decide_access,
};
pub use cert_grace::{CertificateHolder, CertificateStatus, certificate_status, grace_end};
pub use first_visit::{
    CentralAnswer, Channel, DeviceOwner, IdentityMethod, Notice, PinOutcome,
    RETRIEVED_VIEWABLE_HOURS, Refusal, Step, VisitContext, VisitEvent, VisitState, start, step,
};
pub use limited_check::{LimitedEvent, LimitedRefusal, LimitedState, start_limited, step_limited};
pub use reinquiry::{ReinquiryContext, ReinquiryDenied, reinquiry_allowed};
