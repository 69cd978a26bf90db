//! A listing as an owner sends it, checked field by field (422 naming each field, in Chinese and
//! English).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    domain::identifiers::{IpcCode, PatentNumber, Uscc, Yuan},
    error::FieldErrors,
    i18n::Msg,
};

/// A patent's legal status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalStatus {
    Pending,
    Granted,
    Lapsed,
    Invalidated,
    Expired,
}

impl LegalStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            LegalStatus::Pending => "pending",
            LegalStatus::Granted => "granted",
            LegalStatus::Lapsed => "lapsed",
            LegalStatus::Invalidated => "invalidated",
            LegalStatus::Expired => "expired",
        }
    }

    /// Whether a listing with this status stays in the library's search.
    pub fn in_force(self) -> bool {
        matches!(self, LegalStatus::Pending | LegalStatus::Granted)
    }
}

/// A way an owner offers a patent (`open_license` comes from a declaration, never chosen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfferedMode {
    Transfer,
    License,
    OpenLicense,
    CapitalContribution,
    JointRd,
}

/// Who to talk to about a listing (shown only to those `domain.md` "Visibility" names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

impl Contact {
    /// The contact trimmed, its name required, its e-mail address checked (errors under
    /// `contact.*`).
    pub(super) fn checked(&self, errors: &mut FieldErrors) -> Contact {
        let checked = Contact {
            name: text("contact.name", &self.name, 50, errors),
            phone: self.phone.trim().chars().take(30).collect(),
            email: self.email.trim().to_string(),
        };
        if !checked.email.is_empty() && !checked.email.contains('@') {
            errors.add(
                "contact.email",
                Msg::new("电子邮箱格式不正确", "the e-mail address is malformed"),
            );
        }
        checked
    }
}

/// A listing as sent: `POST /api/v1/patents`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ListingInput {
    pub application_number: String,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    #[serde(default)]
    pub claims: Option<String>,
    /// IPC codes, the main one first.
    pub ipc: Vec<String>,
    /// The owner (a center's staff names an organization of its alliance; a member's own by default).
    #[serde(default)]
    pub owner_uscc: Option<String>,
    #[serde(default)]
    pub co_owner_uscc: Vec<String>,
    #[serde(default)]
    pub inventors: Vec<String>,
    pub industry: String,
    pub legal_status: Option<LegalStatus>,
    #[serde(default)]
    pub application_date: Option<String>,
    #[serde(default)]
    pub grant_date: Option<String>,
    #[serde(default)]
    pub annual_fee_paid_until: Option<String>,
    pub offered_modes: Vec<OfferedMode>,
    /// Technology readiness level, 1 to 9.
    #[serde(default)]
    pub maturity: Option<i32>,
    /// Yuan, two decimals (`"800000.00"`).
    #[serde(default)]
    pub asking_price: Option<String>,
    #[serde(default)]
    pub contact: Option<Contact>,
}

/// The fields of a listing that change, and the `version` they change: `PATCH /api/v1/patents/{id}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ListingPatch {
    pub version: i32,
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// A listing's values once every field is checked.
#[derive(Debug, Clone)]
pub struct Checked {
    pub number: PatentNumber,
    pub patent_type: &'static str,
    pub title: String,
    pub abstract_text: String,
    pub claims: Option<String>,
    pub ipc: Vec<String>,
    pub co_owner_uscc: Vec<String>,
    pub inventors: Vec<String>,
    pub industry: String,
    pub legal_status: LegalStatus,
    pub application_date: Option<NaiveDate>,
    pub grant_date: Option<NaiveDate>,
    pub annual_fee_paid_until: Option<NaiveDate>,
    pub offered_modes: Vec<OfferedMode>,
    pub maturity: Option<i32>,
    pub asking_price: Option<Yuan>,
    pub contact: Option<Contact>,
}

/// The kind of right a canonical number names (the PCT digits 8 and 9 are an invention and a
/// utility model).
pub fn patent_type(number: &PatentNumber) -> &'static str {
    match number.as_str().as_bytes().get(4) {
        Some(b'2' | b'9') => "utility_model",
        Some(b'3') => "design",
        _ => "invention",
    }
}

/// Checks a required text field of at most `max` characters (the field's name is the error's key,
/// its label beside it on the page).
pub(super) fn text(field: &str, raw: &str, max: usize, errors: &mut FieldErrors) -> String {
    let value = raw.trim().to_string();
    if value.is_empty() {
        errors.add(field, Msg::new("此项必填", "this field is required"));
    } else if value.chars().count() > max {
        errors.add(
            field,
            Msg::new(
                format!("最多 {max} 个字符"),
                format!("at most {max} characters"),
            ),
        );
    }
    value
}

/// A date field: `YYYY-MM-DD`, none when empty.
pub(super) fn date(field: &str, raw: Option<&str>, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
    if parsed.is_none() {
        let raw = crate::i18n::quote(raw);
        errors.add(
            field,
            Msg::new(
                format!("日期“{raw}”格式应为 YYYY-MM-DD"),
                format!("date '{raw}' must be YYYY-MM-DD"),
            ),
        );
    }
    parsed
}

impl ListingInput {
    /// Every field checked at once; `industries` are the names a listing may carry, `today` the
    /// day no application or grant date may pass.
    pub fn check(
        &self,
        industries: &[String],
        today: NaiveDate,
        errors: &mut FieldErrors,
    ) -> Option<Checked> {
        let number = PatentNumber::parse(&self.application_number)
            .map_err(|e| errors.add("application_number", e.0))
            .ok();
        let title = text("title", &self.title, 200, errors);
        let abstract_text = text("abstract", &self.abstract_text, 5_000, errors);
        let claims = self
            .claims
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| text("claims", c, 20_000, errors));
        if self.ipc.is_empty() {
            errors.add(
                "ipc",
                Msg::new(
                    "请至少填写一个 IPC 分类号（第一个为主分类号）",
                    "give at least one IPC code (the main one first)",
                ),
            );
        }
        let ipc: Vec<String> = (self.ipc.iter().enumerate())
            .filter_map(|(i, raw)| {
                IpcCode::parse(raw)
                    .map_err(|e| errors.add(format!("ipc[{i}]"), e.0))
                    .ok()
            })
            .map(|code| code.to_string())
            .collect();
        let co_owner_uscc = (self.co_owner_uscc.iter().enumerate())
            .filter_map(|(i, raw)| {
                Uscc::parse(raw)
                    .map_err(|e| errors.add(format!("co_owner_uscc[{i}]"), e.message()))
                    .ok()
            })
            .map(|code| code.to_string())
            .collect();
        let inventors = (self.inventors.iter().enumerate())
            .map(|(i, name)| text(&format!("inventors[{i}]"), name, 50, errors))
            .collect();
        let industry = self.industry.trim().to_string();
        if industry.is_empty() {
            errors.add(
                "industry",
                Msg::new("请选择所属产业", "choose the industry"),
            );
        } else if !industries.contains(&industry) {
            let shown = crate::i18n::quote(&industry);
            errors.add(
                "industry",
                Msg::new(
                    format!("“{shown}”不在产业目录中"),
                    format!("'{shown}' is not in the list of industries"),
                ),
            );
        }
        let legal_status = self.legal_status.unwrap_or_else(|| {
            errors.add(
                "legal_status",
                Msg::new("请选择法律状态", "choose the legal status"),
            );
            LegalStatus::Pending
        });
        let application_date = date("application_date", self.application_date.as_deref(), errors);
        let grant_date = date("grant_date", self.grant_date.as_deref(), errors);
        let annual_fee_paid_until = date(
            "annual_fee_paid_until",
            self.annual_fee_paid_until.as_deref(),
            errors,
        );
        for (field, day) in [
            ("application_date", application_date),
            ("grant_date", grant_date),
        ] {
            if day.is_some_and(|d| d > today) {
                errors.add(
                    field,
                    Msg::new(
                        format!("日期晚于今天（{today}）"),
                        format!("the date lies after today ({today})"),
                    ),
                );
            }
        }
        if legal_status == LegalStatus::Pending && grant_date.is_some() {
            errors.add(
                "grant_date",
                Msg::new(
                    "审中的申请没有授权日",
                    "a pending application has no grant date",
                ),
            );
        }
        if legal_status != LegalStatus::Pending && grant_date.is_none() {
            errors.add(
                "grant_date",
                Msg::new(
                    "已授权的专利请填写授权日",
                    "a granted patent needs its grant date",
                ),
            );
        }
        if self.offered_modes.is_empty() {
            errors.add(
                "offered_modes",
                Msg::new("请至少选择一种转化方式", "choose at least one mode"),
            );
        }
        if self.offered_modes.contains(&OfferedMode::OpenLicense) {
            errors.add(
                "offered_modes",
                Msg::new(
                    "开放许可由开放许可声明产生，不能直接选择",
                    "an open licence comes from its declaration; it cannot be chosen",
                ),
            );
        }
        if let Some(level) = self.maturity.filter(|l| !(1..=9).contains(l)) {
            errors.add(
                "maturity",
                Msg::new(
                    format!("技术成熟度应为 1 到 9，而不是 {level}"),
                    format!("maturity is 1 to 9, not {level}"),
                ),
            );
        }
        let asking_price = (self
            .asking_price
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty()))
        .and_then(|p| {
            Yuan::parse(p)
                .map_err(|e| errors.add("asking_price", e.0))
                .ok()
        });
        let contact = self.contact.as_ref().map(|c| c.checked(errors));
        let number = number?;
        Some(Checked {
            patent_type: patent_type(&number),
            number,
            title,
            abstract_text,
            claims,
            ipc,
            co_owner_uscc,
            inventors,
            industry,
            legal_status,
            application_date,
            grant_date,
            annual_fee_paid_until,
            offered_modes: self.offered_modes.clone(),
            maturity: self.maturity,
            asking_price,
            contact,
        })
    }
}
