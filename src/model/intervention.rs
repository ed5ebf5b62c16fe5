//! Interventions: what a leader (or the weather) can do to the forest, by command or by conditions.
//!
//! The same `Intervention` value is what a scene timeline holds and what the UI sends, so
//! every session can be replayed exactly.

use serde::{Deserialize, Serialize};

/// Every intervention and shock the model knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum InterventionKind {
    // Command style: decided above, sent down the hierarchy.
    /// Move energy from the trees leadership believes least useful to those it believes most useful.
    Mandate,
    /// Set a reported-output target above what leadership last saw.
    Target,
    /// Rewire links and reporting lines among the chosen trees.
    Reorganize,
    /// Make every tree lean toward where leadership believes the light is; damp lateral sharing.
    EnforceAlignment,
    /// Demand more effort.
    PushHarder,
    /// Remove the trees with the lowest reported output.
    CutWeakest,
    // Condition style: change the soil, the light, the weather.
    /// Faster, truer signals along links and up the hierarchy.
    OpenFeedback,
    /// Make values clearer so decisions become predictable.
    ClarifyValues,
    /// Lower effort and attention load: less output now, room to adapt.
    CreateSlack,
    /// Faster recycling of litter into nutrients (a learning culture).
    EnrichSoil,
    /// New links between nearby trees.
    GrowConnections,
    /// Trees sense the light directly instead of through signals.
    LetLightIn,
    // Shocks.
    /// Production falls.
    Drought,
    /// Trees lose biomass to litter; links break.
    Storm,
    /// The light jumps elsewhere.
    LightShift,
    /// Biomass drains to litter and spreads along links.
    Pest,
}

/// Which of the three families a kind belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Command,
    Condition,
    Shock,
}

impl InterventionKind {
    pub const ALL: [InterventionKind; 16] = [
        Self::Mandate,
        Self::Target,
        Self::Reorganize,
        Self::EnforceAlignment,
        Self::PushHarder,
        Self::CutWeakest,
        Self::OpenFeedback,
        Self::ClarifyValues,
        Self::CreateSlack,
        Self::EnrichSoil,
        Self::GrowConnections,
        Self::LetLightIn,
        Self::Drought,
        Self::Storm,
        Self::LightShift,
        Self::Pest,
    ];

    pub fn style(self) -> Style {
        use InterventionKind::*;
        match self {
            Mandate | Target | Reorganize | EnforceAlignment | PushHarder | CutWeakest => Style::Command,
            OpenFeedback | ClarifyValues | CreateSlack | EnrichSoil | GrowConnections | LetLightIn => Style::Condition,
            Drought | Storm | LightShift | Pest => Style::Shock,
        }
    }

    /// Happens once, at its tick, rather than lasting for a duration.
    pub fn is_instant(self) -> bool {
        use InterventionKind::*;
        matches!(self, Reorganize | CutWeakest | GrowConnections | Storm | LightShift)
    }

    pub fn label(self) -> &'static str {
        use InterventionKind::*;
        match self {
            Mandate => "mandate",
            Target => "target",
            Reorganize => "reorganize",
            EnforceAlignment => "enforce alignment",
            PushHarder => "push harder",
            CutWeakest => "cut the weakest",
            OpenFeedback => "open feedback",
            ClarifyValues => "clarify values",
            CreateSlack => "create slack",
            EnrichSoil => "enrich soil",
            GrowConnections => "grow connections",
            LetLightIn => "let light in",
            Drought => "drought",
            Storm => "storm",
            LightShift => "light shift",
            Pest => "pest",
        }
    }
}

/// Which trees an intervention reaches, by index into the forest's teams.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Selection {
    #[default]
    All,
    Trees(Vec<u32>),
}

/// One intervention as issued: what, how strongly, for how long, on which trees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intervention {
    pub kind: InterventionKind,
    /// 0 to 1.
    pub strength: f64,
    /// Ticks it lasts; ignored by instant kinds.
    pub duration: u64,
    pub on: Selection,
}

/// An intervention in force, with the tick it began.
#[derive(Debug, Clone, PartialEq)]
pub struct Active {
    pub id: u32,
    pub intervention: Intervention,
    pub start: u64,
}

impl Active {
    /// Whether it still acts at `tick`.
    pub fn in_force(&self, tick: u64) -> bool {
        tick < self.start.saturating_add(self.intervention.duration.max(1))
    }
}
