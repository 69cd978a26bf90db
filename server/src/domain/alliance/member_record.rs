//! A membership as a record of the center's ledger: the same create, edit-at-version and delete
//! commands as deals, projects and service events (`ledger::record`), run inside the caller's
//! transaction with the active counts of each kind moved and the audit row written there.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{memberships, organizations as org_entity};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    sea_query::Expr,
};

use super::memberships::{
    MemberInput, MembershipView, Period, already_member, insert_period, move_active_count, view,
};
use crate::domain::{
    identifiers::Uscc,
    ledger::{ledger_date, record::LedgerRecord},
    organizations::{self, NewOrganization},
};
use crate::{
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// A membership of the alliance, as a ledger record.
pub struct Member;

/// The member organization of a valid membership: registered, or to be registered with it.
pub enum MemberOrganization {
    Registered(org_entity::Model),
    New(NewOrganization),
}

/// A membership whose fields are all valid.
pub struct ValidMember {
    organization: MemberOrganization,
    period: Period,
}

/// The membership's dates: `joined_on` (default today) and `left_on`, neither in the future and
/// the second not before the first.
fn period(input: &MemberInput, today: NaiveDate, errors: &mut FieldErrors) -> Option<Period> {
    let joined_on = match input.joined_on.as_deref() {
        Some(raw) => ledger_date("joined_on", raw, today, errors),
        None => Some(today),
    };
    let left_on = match input.left_on.as_deref() {
        Some(raw) => ledger_date("left_on", raw, today, errors).map(Some),
        None => Some(None),
    };
    let (joined_on, left_on) = (joined_on?, left_on?);
    if let Some(left) = left_on.filter(|l| *l < joined_on) {
        errors.add(
            "left_on",
            Msg::new(
                format!("退出日期 {left} 早于加入日期 {joined_on}"),
                format!("left_on {left} lies before joined_on {joined_on}"),
            ),
        );
    }
    Some(Period { joined_on, left_on })
}

/// The organization the input names: a registered one by `uscc`, or a new one by its fields.
async fn organization(
    db: &impl ConnectionTrait,
    input: &MemberInput,
    errors: &mut FieldErrors,
) -> Result<Option<MemberOrganization>, AppError> {
    match (input.uscc.as_deref(), input.organization.clone()) {
        (Some(raw), None) => match Uscc::parse(raw) {
            Ok(code) => {
                let found = organizations::find_by_uscc(db, &code).await?;
                if found.is_none() {
                    errors.add("uscc", Msg::new(format!("统一社会信用代码 {code} 的机构尚未登记；请同时提供机构信息"), format!("no organization with code {code} is registered; send its fields as `organization`")));
                }
                Ok(found.map(MemberOrganization::Registered))
            }
            Err(e) => {
                errors.add("uscc", e.message());
                Ok(None)
            }
        },
        (None, Some(new_org)) => match new_org.validate("organization.", false, errors) {
            Some(valid) => Ok(Some(
                match organizations::find_by_uscc(db, &valid.uscc).await? {
                    Some(existing) => MemberOrganization::Registered(existing),
                    None => MemberOrganization::New(valid),
                },
            )),
            None => Ok(None),
        },
        _ => {
            errors.add(
                "uscc",
                Msg::new(
                    "请提供 uscc（已登记机构）或 organization（新机构）之一",
                    "send either uscc (a registered organization) or organization (a new one)",
                ),
            );
            Ok(None)
        }
    }
}

/// 409 when another live membership of the organization at the center overlaps `period`.
pub(super) async fn refuse_overlap(
    db: &impl ConnectionTrait,
    (center_id, organization_id, except): (i32, i32, Option<i32>),
    period: Period,
) -> Result<(), AppError> {
    use memberships::Column as C;
    let mut overlapping = memberships::Entity::find()
        .filter(C::CenterId.eq(center_id))
        .filter(C::OrganizationId.eq(organization_id))
        .filter(C::DeletedAt.is_null())
        .filter(
            Condition::any()
                .add(C::LeftOn.is_null())
                .add(C::LeftOn.gt(period.joined_on)),
        );
    if let Some(left_on) = period.left_on {
        overlapping = overlapping.filter(C::JoinedOn.lt(left_on));
    }
    if let Some(id) = except {
        overlapping = overlapping.filter(C::Id.ne(id));
    }
    let Some(existing) = overlapping.one(db).await? else {
        return Ok(());
    };
    Err(match existing.left_on {
        None => already_member(),
        Some(left_on) => AppError::Conflict(Msg::new(
            format!(
                "与该机构此前的成员期（{} 至 {left_on}）重叠",
                existing.joined_on
            ),
            format!(
                "overlaps the organization's earlier membership ({} to {left_on})",
                existing.joined_on
            ),
        )),
    })
}

impl LedgerRecord for Member {
    type Entity = memberships::Entity;
    type Model = memberships::Model;
    type Input = MemberInput;
    type Valid = ValidMember;
    type View = MembershipView;
    const NAME: &'static str = "membership";

    fn key(model: &memberships::Model) -> (i64, i32) {
        (i64::from(model.id), model.version)
    }

    async fn validate(
        db: &impl ConnectionTrait,
        input: &MemberInput,
        today: NaiveDate,
    ) -> Result<ValidMember, AppError> {
        let mut errors = FieldErrors::default();
        let period = period(input, today, &mut errors);
        let organization = organization(db, input, &mut errors).await?;
        match (organization, period) {
            (Some(organization), Some(period)) if errors.is_empty() => Ok(ValidMember {
                organization,
                period,
            }),
            _ => Err(AppError::Validation(errors)),
        }
    }

    async fn insert(
        db: &DatabaseTransaction,
        center_id: i32,
        valid: &ValidMember,
        actor_user_id: i32,
        now: DateTime<Utc>,
    ) -> Result<memberships::Model, AppError> {
        let organization_id = match &valid.organization {
            MemberOrganization::Registered(org) => org.id,
            MemberOrganization::New(new) => organizations::insert(db, new.clone(), now).await?.id,
        };
        let ids = (center_id, organization_id);
        insert_period(db, ids, valid.period, actor_user_id, None, now).await
    }

    fn changes(valid: &ValidMember) -> Vec<(memberships::Column, Expr)> {
        // the organization of a membership never changes: a correction moves its dates
        vec![
            (
                memberships::Column::JoinedOn,
                Expr::value(valid.period.joined_on),
            ),
            (
                memberships::Column::LeftOn,
                Expr::value(valid.period.left_on),
            ),
        ]
    }

    async fn admit(db: &DatabaseTransaction, id: i64, valid: &ValidMember) -> Result<(), AppError> {
        let id = i32::try_from(id).map_err(|_| AppError::NotFound)?;
        let edited = memberships::Entity::find_by_id(id).one(db).await?;
        let edited = edited.ok_or(AppError::NotFound)?;
        let same = match &valid.organization {
            MemberOrganization::Registered(org) => org.id == edited.organization_id,
            MemberOrganization::New(_) => false,
        };
        if !same {
            return Err(AppError::field(
                "uscc",
                Msg::new(
                    "成员机构不可更改；请删除该记录后重新添加",
                    "a membership's organization cannot change; delete it and add the right one",
                ),
            ));
        }
        let others = (edited.center_id, edited.organization_id, Some(id));
        refuse_overlap(db, others, valid.period).await
    }

    async fn relink(_db: &DatabaseTransaction, _id: i64, _: &ValidMember) -> Result<(), AppError> {
        // nothing belongs to a membership but its row
        Ok(())
    }

    async fn moves(
        db: &DatabaseTransaction,
        model: &memberships::Model,
        sign: i64,
    ) -> Result<(), AppError> {
        // only an active membership counts
        if model.left_on.is_none() {
            move_active_count(db, model.center_id, &model.org_kind, sign).await?;
        }
        Ok(())
    }

    async fn views(
        db: &impl ConnectionTrait,
        models: Vec<memberships::Model>,
    ) -> Result<Vec<MembershipView>, AppError> {
        let mut views = Vec::with_capacity(models.len());
        for m in models {
            let org = organizations::find_by_id(db, m.organization_id).await?;
            views.push(view(m, org.ok_or(AppError::NotFound)?));
        }
        Ok(views)
    }

    fn input_of(view: &MembershipView) -> MemberInput {
        MemberInput {
            uscc: Some(view.organization.uscc.clone()),
            organization: None,
            joined_on: Some(view.joined_on.to_string()),
            left_on: view.left_on.map(|d| d.to_string()),
        }
    }
}
