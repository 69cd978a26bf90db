//! Organizations: every legal entity ipoc knows, identified by its USCC.

use chrono::{DateTime, Utc};
use entities::organizations;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    audit::AuditEntry,
    identifiers::{RegionCode, Uscc},
    paging::Paged,
};
use crate::error::{AppError, FieldErrors};
use crate::i18n::Msg;

/// The kind of an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Enterprise,
    University,
    ResearchInstitute,
    /// Owns patents; counts toward an alliance only when the rulebook's counting kinds name it.
    Hospital,
    IndustrialPark,
    IndustryAssociation,
    ServiceAgency,
    FinancialInstitution,
    Other,
}

impl OrgKind {
    /// Every kind, in display order.
    pub const ALL: [OrgKind; 9] = [
        OrgKind::Enterprise,
        OrgKind::University,
        OrgKind::ResearchInstitute,
        OrgKind::Hospital,
        OrgKind::IndustrialPark,
        OrgKind::IndustryAssociation,
        OrgKind::ServiceAgency,
        OrgKind::FinancialInstitution,
        OrgKind::Other,
    ];

    /// The stored name (`enterprise`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Enterprise => "enterprise",
            OrgKind::University => "university",
            OrgKind::ResearchInstitute => "research_institute",
            OrgKind::Hospital => "hospital",
            OrgKind::IndustrialPark => "industrial_park",
            OrgKind::IndustryAssociation => "industry_association",
            OrgKind::ServiceAgency => "service_agency",
            OrgKind::FinancialInstitution => "financial_institution",
            OrgKind::Other => "other",
        }
    }
}

/// A flag an organization may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgFlag {
    /// 龙头企业
    Leading,
    /// 科技型中小企业
    TechSme,
    /// 高新技术企业
    HighTech,
    /// 专精特新
    Specialized,
    StateOwned,
    /// a national industrial park / national industry association
    NationalLevel,
}

impl OrgFlag {
    /// Every flag, in display order.
    pub const ALL: [OrgFlag; 6] = [
        OrgFlag::Leading,
        OrgFlag::TechSme,
        OrgFlag::HighTech,
        OrgFlag::Specialized,
        OrgFlag::StateOwned,
        OrgFlag::NationalLevel,
    ];

    /// The stored name (`leading`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            OrgFlag::Leading => "leading",
            OrgFlag::TechSme => "tech_sme",
            OrgFlag::HighTech => "high_tech",
            OrgFlag::Specialized => "specialized",
            OrgFlag::StateOwned => "state_owned",
            OrgFlag::NationalLevel => "national_level",
        }
    }
}

/// An organization as a client sends it: `{"uscc","name","kind","region_code","flags"}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrganizationInput {
    pub uscc: String,
    pub name: String,
    pub kind: OrgKind,
    pub region_code: String,
    #[serde(default)]
    pub flags: Vec<OrgFlag>,
    /// Admins only: registers a code whose check character alone fails, keeping the reason.
    #[serde(default)]
    pub uscc_check_override_reason: Option<String>,
}

/// An organization whose fields are all valid.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub uscc: Uscc,
    pub name: String,
    pub kind: OrgKind,
    pub region: RegionCode,
    pub flags: Vec<OrgFlag>,
    pub uscc_check_override_reason: Option<String>,
}

/// Longest organization name accepted.
const MAX_NAME_CHARS: usize = 200;

impl OrganizationInput {
    /// Validates every field, adding each problem under `prefix` + field name; an override
    /// reason is honoured only when `may_override` (admins) and only for the check character.
    pub fn validate(
        self,
        prefix: &str,
        may_override: bool,
        errors: &mut FieldErrors,
    ) -> Option<NewOrganization> {
        let field = |name: &str| format!("{prefix}{name}");
        let reason = self
            .uscc_check_override_reason
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
        if reason.is_some() && !may_override {
            errors.add(
                field("uscc_check_override_reason"),
                Msg::new(
                    "只有管理员可以豁免校验位",
                    "only an admin may override the check character",
                ),
            );
        }
        let uscc = match (&reason, may_override) {
            (Some(_), true) => Uscc::parse_allowing_check_failure(&self.uscc),
            _ => Uscc::parse(&self.uscc).map(|code| (code, false)),
        };
        let uscc = match uscc {
            Ok(code) => Some(code),
            Err(e) => {
                errors.add(field("uscc"), e.message());
                None
            }
        };
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            errors.add(
                field("name"),
                Msg::new(
                    format!("名称不能为空，且不超过 {MAX_NAME_CHARS} 个字符"),
                    format!("name is required, at most {MAX_NAME_CHARS} characters"),
                ),
            );
        }
        let region = RegionCode::parse(&self.region_code)
            .map_err(|e| errors.add(field("region_code"), e.0))
            .ok();
        let mut flags = self.flags;
        flags.sort_by_key(|f| f.as_str());
        flags.dedup();
        let (uscc, overridden) = uscc?;
        Some(NewOrganization {
            uscc,
            name,
            kind: self.kind,
            region: region?,
            flags,
            uscc_check_override_reason: if overridden { reason } else { None },
        })
        .filter(|_| errors.is_empty())
    }
}

/// An organization as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganizationView {
    pub id: i32,
    pub uscc: String,
    pub name: String,
    pub kind: String,
    pub region_code: String,
    pub flags: Vec<String>,
    pub uscc_check_override_reason: Option<String>,
    pub version: i32,
}

impl From<organizations::Model> for OrganizationView {
    fn from(m: organizations::Model) -> Self {
        let flags = [
            (m.flag_leading, OrgFlag::Leading),
            (m.flag_tech_sme, OrgFlag::TechSme),
            (m.flag_high_tech, OrgFlag::HighTech),
            (m.flag_specialized, OrgFlag::Specialized),
            (m.flag_state_owned, OrgFlag::StateOwned),
            (m.flag_national_level, OrgFlag::NationalLevel),
        ]
        .into_iter()
        .filter(|(set, _)| *set)
        .map(|(_, flag)| flag.as_str().to_string())
        .collect();
        OrganizationView {
            id: m.id,
            uscc: m.uscc,
            name: m.name,
            kind: m.kind,
            region_code: m.region_code,
            flags,
            uscc_check_override_reason: m.uscc_check_override_reason,
            version: m.version,
        }
    }
}

fn already_registered(uscc: &Uscc) -> AppError {
    AppError::Conflict(Msg::new(
        format!("统一社会信用代码 {uscc} 已登记"),
        format!("an organization with unified social credit code {uscc} is already registered"),
    ))
}

/// Registers an organization (409 when its USCC is taken) and audits it, on `db` (a transaction).
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &impl ConnectionTrait,
    actor_user_id: Option<i32>,
    org: NewOrganization,
    now: DateTime<Utc>,
) -> Result<organizations::Model, AppError> {
    let model = insert(db, org, now).await?;
    let action = if model.uscc_check_override_reason.is_some() {
        "organization.create_with_check_override"
    } else {
        "organization.create"
    };
    AuditEntry::new(actor_user_id, action, "organization", model.id)
        .after(&OrganizationView::from(model.clone()))
        .write(db, now)
        .await?;
    Ok(model)
}

/// Registers an organization (409 when its USCC is taken) as part of a larger action that writes
/// the audit row itself.
pub async fn insert(
    db: &impl ConnectionTrait,
    org: NewOrganization,
    now: DateTime<Utc>,
) -> Result<organizations::Model, AppError> {
    if find_by_uscc(db, &org.uscc).await?.is_some() {
        return Err(already_registered(&org.uscc));
    }
    let has = |flag| org.flags.contains(&flag);
    let model = organizations::ActiveModel {
        uscc: Set(org.uscc.to_string()),
        name: Set(org.name.clone()),
        kind: Set(org.kind.as_str().to_string()),
        region_code: Set(org.region.to_string()),
        flag_leading: Set(has(OrgFlag::Leading)),
        flag_tech_sme: Set(has(OrgFlag::TechSme)),
        flag_high_tech: Set(has(OrgFlag::HighTech)),
        flag_specialized: Set(has(OrgFlag::Specialized)),
        flag_state_owned: Set(has(OrgFlag::StateOwned)),
        flag_national_level: Set(has(OrgFlag::NationalLevel)),
        uscc_check_override_reason: Set(org.uscc_check_override_reason.clone()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict(_) => already_registered(&org.uscc),
        other => other,
    })?;
    Ok(model)
}

/// The organization with this code, if registered.
pub async fn find_by_uscc(
    db: &impl ConnectionTrait,
    uscc: &Uscc,
) -> Result<Option<organizations::Model>, AppError> {
    Ok(organizations::Entity::find()
        .filter(organizations::Column::Uscc.eq(uscc.as_str()))
        .one(db)
        .await?)
}

/// The organization with this id.
pub async fn find_by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<organizations::Model>, AppError> {
    Ok(organizations::Entity::find_by_id(id).one(db).await?)
}

/// Organizations whose name contains `q` or whose USCC starts with it, by name.
pub async fn search(
    db: &impl ConnectionTrait,
    q: Option<&str>,
    page: u64,
    per_page: u64,
) -> Result<Paged<OrganizationView>, AppError> {
    let mut query = organizations::Entity::find()
        .order_by_asc(organizations::Column::Name)
        .order_by_asc(organizations::Column::Id);
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        query = query.filter(
            Condition::any()
                .add(organizations::Column::Name.contains(q))
                .add(organizations::Column::Uscc.starts_with(q.to_uppercase())),
        );
    }
    let paginator = query.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Paged {
        items: items.into_iter().map(OrganizationView::from).collect(),
        total,
        page,
        per_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(uscc: &str) -> OrganizationInput {
        OrganizationInput {
            uscc: uscc.into(),
            name: "测试企业".into(),
            kind: OrgKind::Enterprise,
            region_code: "320500".into(),
            flags: vec![OrgFlag::TechSme, OrgFlag::TechSme],
            uscc_check_override_reason: None,
        }
    }

    #[test]
    fn validates_and_names_fields() {
        let mut errors = FieldErrors::default();
        let org = input("91110000600037341l")
            .validate("", false, &mut errors)
            .unwrap();
        assert_eq!(org.uscc.as_str(), "91110000600037341L");
        assert_eq!(org.flags, vec![OrgFlag::TechSme]);

        let mut errors = FieldErrors::default();
        let mut bad = input("91110000600037341N");
        bad.region_code = "990000".into();
        assert!(bad.validate("organization.", false, &mut errors).is_none());
        assert!(errors.0.contains_key("organization.uscc"));
        assert!(errors.0.contains_key("organization.region_code"));
    }

    #[test]
    fn override_only_for_admins_and_only_the_check_character() {
        let mut with_reason = input("91110000600037341N");
        with_reason.uscc_check_override_reason = Some("早期试点代码".into());
        let mut errors = FieldErrors::default();
        let org = with_reason.clone().validate("", true, &mut errors).unwrap();
        assert_eq!(
            org.uscc_check_override_reason.as_deref(),
            Some("早期试点代码")
        );
        let mut errors = FieldErrors::default();
        assert!(with_reason.validate("", false, &mut errors).is_none());
        let mut too_short = input("9111000060003734");
        too_short.uscc_check_override_reason = Some("x".into());
        let mut errors = FieldErrors::default();
        assert!(too_short.validate("", true, &mut errors).is_none());
    }
}
