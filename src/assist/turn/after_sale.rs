//! After the sale: order status, cancellation, reorder, and the handoff to a person.

use super::*;

impl Assistant {
    pub(super) fn handoff(
        &self,
        session_id: &str,
        text: &str,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        // One notification per session: a shopper who keeps typing after the handoff
        // is already with a colleague (repeating it stored the whole transcript again
        // on every turn: 24 MB for 150 abusive turns).
        if !state.handoff {
            // The stored lines and this turn's message (stored with the turn's end).
            let (mut transcript, turns) = self.orders.transcript_tail(
                session_id,
                ctx.customer,
                HANDOFF_TRANSCRIPT_TURNS - 1,
            )?;
            transcript.push(crate::orders::sessions::Turn {
                turn: turns + 1,
                role: "shopper".into(),
                text: text.to_string(),
                at: self.orders.now(),
            });
            let turns = turns + 1;
            self.orders.record_event(
                "handoff.requested",
                ctx.customer,
                &json!({
                    "session_id": session_id,
                    "customer_id": ctx.customer,
                    "reason": if u.intent == Intent::Handoff { "asked" } else { "frustration" },
                    "transcript": transcript,
                    "transcript_turns": turns,
                    "state": state,
                }),
            )?;
        }
        state.handoff = true;
        state.stalls = 0;
        out.say(Fact::Handoff);
        out.actions.push(json!({"type": "handoff.requested"}));
        out.progress = true;
        Ok(())
    }

    pub(super) fn latest_order(
        &self,
        ctx: &Ctx<'_>,
    ) -> Result<Option<crate::orders::Order>, TurnError> {
        let Some(customer) = ctx.customer else {
            return Ok(None);
        };
        Ok(self
            .orders
            .list_orders(&OrderFilter {
                customer_id: Some(customer.to_string()),
                limit: 1,
                ..Default::default()
            })?
            .into_iter()
            .next())
    }

    pub(super) fn order_status(&self, ctx: &Ctx<'_>, out: &mut Outcome) -> Result<(), TurnError> {
        if ctx.customer.is_none() {
            out.say(Fact::AfterSale(AfterSale::NeedCustomer));
            return Ok(());
        }
        let Some(o) = self.latest_order(ctx)? else {
            out.say(Fact::AfterSale(AfterSale::NoOrders));
            return Ok(());
        };
        out.say(Fact::AfterSale(AfterSale::Status {
            order_id: o.id,
            created_at: o.created_at,
            status: o.status,
            tracking: o.tracking,
        }));
        out.progress = true;
        Ok(())
    }

    pub(super) fn cancel_order(
        &self,
        ctx: &Ctx<'_>,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        if ctx.customer.is_none() {
            out.say(Fact::AfterSale(AfterSale::NeedCustomer));
            return Ok(());
        }
        let id = match &u.slots.order_id {
            Some(id) => Some(id.clone()),
            None => self.latest_order(ctx)?.map(|o| o.id),
        };
        let Some(id) = id else {
            out.say(Fact::AfterSale(AfterSale::NoOrders));
            return Ok(());
        };
        match self
            .orders
            .cancel_order(ctx.customer.unwrap_or_default(), &id)
        {
            Ok(o) => {
                out.actions
                    .push(json!({"type": "order.cancelled", "order_id": o.id}));
                out.say(Fact::AfterSale(AfterSale::Cancelled { order_id: o.id }));
                out.progress = true;
            }
            Err(e) => out.say(Fact::Refused(Refusal::Engine(e.to_string()))),
        }
        Ok(())
    }

    pub(super) fn reorder(&self, ctx: &Ctx<'_>, out: &mut Outcome) -> Result<(), TurnError> {
        let Some(o) = self.latest_order(ctx)? else {
            out.say(Fact::AfterSale(if ctx.customer.is_none() {
                AfterSale::NeedCustomer
            } else {
                AfterSale::NoOrders
            }));
            return Ok(());
        };
        let r = self.orders.reorder(&ctx.cart_owner, &o.id)?;
        out.say(Fact::AfterSale(AfterSale::Reordered {
            changes: r.changes.clone(),
            total: Money::new(r.cart.total, &r.cart.currency),
        }));
        out.actions
            .push(json!({"type": "order.reorder", "order_id": o.id}));
        out.cart = Some(r.cart);
        out.progress = true;
        Ok(())
    }
}
