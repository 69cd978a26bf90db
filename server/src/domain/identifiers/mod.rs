//! Validated identifiers: each newtype's parsing (`TryFrom<&str>` / `FromStr`) is the only way in.

mod ipc;
mod patent;
mod region;
mod uscc;
mod yuan;

pub use ipc::IpcCode;
pub use patent::{PatentKind, PatentNumber};
pub use region::{PROVINCES, RegionCode};
pub use uscc::{Uscc, UsccError, with_check_character};
pub use yuan::Yuan;

use crate::i18n::Msg;

/// An identifier that failed to parse, with a message in both languages saying what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidIdentifier(pub Msg);

impl std::fmt::Display for InvalidIdentifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl std::error::Error for InvalidIdentifier {}

/// Implements `Serialize` (as the canonical string) and `Deserialize` (through parsing) for a
/// newtype with `FromStr` and `Display`.
macro_rules! serde_via_str {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                raw.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use serde_via_str;
