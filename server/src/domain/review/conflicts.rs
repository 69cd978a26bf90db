//! The automatic conflict-of-interest check of an expert against a center.

use entities::{centers, memberships, organizations, users};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::{error::AppError, i18n::Msg};

/// What ties organizations to a center: its host, its live alliance members among them, and the
/// counterparties of its live deals — read once for any number of experts.
struct Ties {
    host: i32,
    members: std::collections::HashSet<i32>,
    counterparties: std::collections::HashSet<String>,
}

impl Ties {
    /// The ties of `center` to the organizations `org_ids`.
    async fn of(
        db: &impl ConnectionTrait,
        center: &centers::Model,
        org_ids: &[i32],
    ) -> Result<Ties, AppError> {
        let members = memberships::Entity::find()
            .filter(memberships::Column::CenterId.eq(center.id))
            .filter(memberships::Column::OrganizationId.is_in(org_ids.to_vec()))
            .filter(memberships::Column::DeletedAt.is_null())
            .filter(memberships::Column::LeftOn.is_null())
            .all(db)
            .await?;
        use entities::transactions::{Column as Deal, Entity as Deals};
        let lists: Vec<String> = Deals::find()
            .select_only()
            .column(Deal::CounterpartyUscc)
            .filter(Deal::CenterId.eq(center.id))
            .filter(Deal::DeletedAt.is_null())
            .into_tuple()
            .all(db)
            .await?;
        let counterparties = lists
            .iter()
            .flat_map(|list| serde_json::from_str::<Vec<String>>(list).unwrap_or_default())
            .collect();
        Ok(Ties {
            host: center.host_organization_id,
            members: members.into_iter().map(|m| m.organization_id).collect(),
            counterparties,
        })
    }

    /// Why the organization `org` (with its code) may not review the center, if it may not.
    fn reason(&self, org: &organizations::Model) -> Option<Msg> {
        if org.id == self.host {
            return Some(Msg::new(
                "专家所在单位是该中心的建设主体",
                "the expert's organization is the center's host",
            ));
        }
        if self.members.contains(&org.id) {
            return Some(Msg::new(
                "专家所在单位是该中心的联盟成员",
                "the expert's organization is a member of the center's alliance",
            ));
        }
        self.counterparties.contains(&org.uscc).then(|| {
            Msg::new(
                "专家所在单位是该中心交易的交易对方",
                "the expert's organization is a counterparty of one of the center's deals",
            )
        })
    }
}

/// Why `expert`'s organization may not review `center` (rule: the expert's organization is the
/// host, an alliance member, or a counterparty of one of the center's deals), if it may not.
pub async fn automatic_conflict(
    db: &impl ConnectionTrait,
    center: &centers::Model,
    expert: &users::Model,
) -> Result<Option<Msg>, AppError> {
    let Some(org_id) = expert.organization_id else {
        return Ok(None);
    };
    let Some(org) = organizations::Entity::find_by_id(org_id).one(db).await? else {
        return Ok(None);
    };
    Ok(Ties::of(db, center, &[org_id]).await?.reason(&org))
}

/// An expert a decider may choose for a review of a center: the account, its organization and,
/// when the automatic check refuses it, why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Candidate {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub organization: Option<String>,
    pub conflict: Option<Msg>,
}

/// Every enabled expert, by e-mail, with its organization and its automatic conflict with
/// `center` (the same check the assignment makes, its ties read once for all), so that the
/// decider sees it before choosing.
pub async fn candidates(
    db: &impl ConnectionTrait,
    center: &centers::Model,
) -> Result<Vec<Candidate>, AppError> {
    use sea_orm::QueryOrder;
    let experts = users::Entity::find()
        .filter(users::Column::Role.eq(crate::domain::users::Role::Expert.as_str()))
        .filter(users::Column::Disabled.eq(false))
        .order_by_asc(users::Column::Email)
        .all(db)
        .await?;
    let org_ids: Vec<i32> = experts.iter().filter_map(|e| e.organization_id).collect();
    let orgs: std::collections::HashMap<i32, organizations::Model> = organizations::Entity::find()
        .filter(organizations::Column::Id.is_in(org_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let ties = Ties::of(db, center, &org_ids).await?;
    Ok(experts
        .into_iter()
        .map(|expert| {
            let org = expert.organization_id.and_then(|o| orgs.get(&o));
            Candidate {
                id: expert.id,
                organization: org.map(|o| o.name.clone()),
                conflict: org.and_then(|o| ties.reason(o)),
                email: expert.email,
                name: expert.name,
            }
        })
        .collect())
}
