//! Read-only views of the model's internals for the app: orders in flight and a tree's recent past.

use super::forest::{Forest, Order};
use super::intervention::InterventionKind;

/// An order travelling down the hierarchy, as the view draws it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrderInFlight {
    pub tree: u32,
    pub kind: InterventionKind,
    /// Tick the order was issued.
    pub issued: u64,
    /// Tick it reaches `tree`.
    pub arrives: u64,
    /// Whether it takes energy away (a mandate's "give") rather than bringing or demanding.
    pub takes: bool,
}

/// One tick of a tree's past as its neighbours heard it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PastTick {
    pub tick: u64,
    /// Usefulness the tree signalled.
    pub signal: f32,
    /// Return on effort its report up the hierarchy stated (NaN where that report is no longer kept).
    pub reported: f32,
    /// Light it saw.
    pub light: f32,
}

impl Forest {
    /// Orders issued but not yet delivered, in arrival order.
    pub fn orders_in_flight(&self) -> Vec<OrderInFlight> {
        self.pending
            .iter()
            .flat_map(|(&arrives, due)| {
                due.iter().map(move |d| OrderInFlight {
                    tree: d.tree,
                    kind: d.kind,
                    issued: arrives.saturating_sub(d.delay as u64),
                    arrives,
                    takes: matches!(d.order, Order::Give { .. }),
                })
            })
            .collect()
    }

    /// What `tree` sent over the last `ticks` ticks, oldest first: at most as far back as the
    /// model keeps signals (as long as the slowest link takes).
    pub fn past_of(&self, tree: usize, ticks: usize) -> Vec<PastTick> {
        let h = &self.history;
        if tree >= h.n || self.tick == 0 {
            return Vec::new();
        }
        // The slot for the current tick is written during the next step, so the newest is tick - 1.
        let newest = self.tick - 1;
        let kept = (ticks.min(h.len) as u64).min(self.tick);
        (0..kept)
            .rev()
            .map(|age| {
                let tick = newest - age;
                let at = h.slot(tick) + tree;
                let reported = if age < self.reports.kept(tree) as u64 {
                    self.reports.ago(tree, age as u32).return_() as f32
                } else {
                    f32::NAN
                };
                PastTick { tick, signal: h.sent[at].signal, reported, light: h.sent[at].light }
            })
            .collect()
    }
}
