//! A center's life after accreditation: its cycles, the decisions on it (annual results,
//! extensions, rectifications, cycle results, exit), rectification, withdrawal, exit and the
//! proposals the system makes — a person decides; the system only proposes.

mod annual;
pub mod cycles;
pub mod decisions;
pub mod exit;
pub mod proposals;
pub mod record;
pub mod rectification;
pub mod withdrawal;
