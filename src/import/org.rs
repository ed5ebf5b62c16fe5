//! An org chart's rows made into teams and reporting lines: rows of teams taken as they are,
//! rows of people grouped into teams by their manager or by their department.

use std::collections::HashMap;

use super::error::{ImportError, ImportErrors, Problems};
use super::table::{Role, Table, find_columns, parse_number, quoted, recognised};
use crate::text::{agree, counted};

/// Whether each row is a person or a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowKind {
    /// Teams when there is a headcount column, else people.
    #[default]
    Auto,
    People,
    Teams,
}

/// People in a team whose headcount is not given.
pub const DEFAULT_TEAM_SIZE: f64 = 6.0;

/// A team of the organization as read.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgTeam {
    pub name: String,
    pub size: f64,
    pub parent: Option<usize>,
    /// A lead made up for a group, not a row of the file.
    pub made_up: bool,
}

/// The organization: its teams, and which team each person or team of the file is in, by
/// every key it can be named by (id and name), for matching a network's nodes.
#[derive(Debug, Clone, Default)]
pub struct Org {
    pub teams: Vec<OrgTeam>,
    pub team_of: HashMap<String, usize>,
    pub notes: Vec<String>,
}

/// One row as read.
struct Entry {
    line: u64,
    id: Option<String>,
    name: String,
    manager: Option<String>,
    group: Option<String>,
    size: Option<f64>,
}

/// The teams of the org chart in `table`.
pub fn org_from_table(table: &Table, rows: RowKind, overrides: &[(String, String)]) -> Result<Org, ImportErrors> {
    let file = table.file.as_str();
    let mut columns = find_columns(file, &table.headers, &Role::ORG, overrides)?;
    let mut notes = table.notes.clone();
    // A list of teams often heads its names "Team": with a headcount and nothing else to name
    // the rows, that column names them rather than grouping them.
    if !columns.contains_key(&Role::Name)
        && !columns.contains_key(&Role::FirstName)
        && (columns.contains_key(&Role::Size) || rows == RowKind::Teams)
        && columns.contains_key(&Role::Manager)
        && columns.contains_key(&Role::Group)
    {
        // A column headed "Team" names them; any other group column (a department) stays a group.
        let team = table.headers.iter().position(|h| super::table::normalize(h) == "team");
        let k = match team {
            Some(k) => {
                if columns.get(&Role::Group) == Some(&k) {
                    columns.remove(&Role::Group);
                }
                k
            }
            None => columns.remove(&Role::Group).expect("checked above"),
        };
        columns.insert(Role::Name, k);
        notes.push(format!("the column \"{}\" names the teams", table.headers[k].trim()));
    }
    let has_name = columns.contains_key(&Role::Name)
        || (columns.contains_key(&Role::FirstName) && columns.contains_key(&Role::LastName));
    let missing = |what: &str| ImportError::File {
        file: file.to_string(),
        message: format!(
            "no column for {what}; recognised: {}; columns seen: {}; name them with --columns name=HEADER,manager=HEADER,size=HEADER,group=HEADER",
            recognised(&table.headers, &columns),
            quoted(&table.headers)
        ),
    };
    if !has_name {
        return Err(missing("the name (name, employee name, team name, or first and last name)").into());
    }
    if !columns.contains_key(&Role::Manager) && !columns.contains_key(&Role::Group) {
        return Err(missing(
            "who reports to whom (reports to, manager, parent, supervisor) or a group (department, unit, team)",
        )
        .into());
    }
    let kind = match rows {
        RowKind::Auto if columns.contains_key(&Role::Size) => RowKind::Teams,
        RowKind::Auto => RowKind::People,
        chosen => chosen,
    };
    match (rows, kind) {
        (RowKind::Auto, RowKind::Teams) => notes.push(format!(
            "rows read as teams, because of the headcount column \"{}\" (--people reads them as people)",
            table.headers[columns[&Role::Size]].trim()
        )),
        (RowKind::Auto, _) => {
            notes.push("rows read as people, as there is no headcount column (--teams reads each row as a team)".into())
        }
        _ => {}
    }
    let mut problems = Problems::default();
    let cell = |line: u64, role: Role, message: String| ImportError::Cell {
        file: file.to_string(),
        line,
        column: columns.get(&role).map(|k| k + 1).unwrap_or(0),
        message,
    };
    let mut entries = Vec::with_capacity(table.rows.len());
    let mut defaulted = 0usize;
    let mut raised = 0usize;
    for row in &table.rows {
        let name = match columns.get(&Role::Name) {
            Some(&k) => row.get(k).to_string(),
            None => format!("{} {}", row.get(columns[&Role::FirstName]), row.get(columns[&Role::LastName]))
                .trim()
                .to_string(),
        };
        if name.is_empty() {
            let role = if columns.contains_key(&Role::Name) { Role::Name } else { Role::FirstName };
            problems.push(cell(row.line, role, "the name is empty".into()));
            continue;
        }
        let optional =
            |role: Role| columns.get(&role).map(|&k| row.get(k)).filter(|v| !v.is_empty()).map(str::to_string);
        let size = match (kind, optional(Role::Size)) {
            (RowKind::Teams, Some(text)) => match parse_number(&text) {
                Some(v) if v >= 0.0 => {
                    if v < 1.0 {
                        raised += 1;
                    }
                    Some(v.clamp(1.0, 100_000.0))
                }
                _ => {
                    let header = table.headers[columns[&Role::Size]].trim();
                    problems.push(cell(row.line, Role::Size, format!("{header} \"{text}\" is not a number of people")));
                    None
                }
            },
            (RowKind::Teams, None) => {
                defaulted += 1;
                Some(DEFAULT_TEAM_SIZE)
            }
            _ => None,
        };
        entries.push(Entry {
            line: row.line,
            id: optional(Role::Id),
            name,
            manager: optional(Role::Manager),
            group: optional(Role::Group),
            size,
        });
    }
    if entries.is_empty() && problems.is_empty() {
        return Err(ImportError::File { file: file.to_string(), message: "has a header but no rows".into() }.into());
    }
    if defaulted > 0 {
        notes.push(format!(
            "{} no headcount: {DEFAULT_TEAM_SIZE} people each",
            counted(defaulted, "team has", "teams have")
        ));
    }
    if raised > 0 {
        notes.push(format!(
            "{} of under one person {} as one",
            counted(raised, "team", "teams"),
            agree(raised, "counts", "count")
        ));
    }
    // Every row by each key it may be named by: its id first, then its name.
    let with_ids = columns.contains_key(&Role::Id);
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(if with_ids { entries.len() } else { 0 });
    let mut by_name: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
    let mut twice: HashMap<&str, usize> = HashMap::new();
    for (k, e) in entries.iter().enumerate() {
        if let Some(id) = &e.id
            && let Some(&first) = by_id.get(id.as_str())
        {
            problems.push(cell(e.line, Role::Id, format!("id \"{id}\" is also on line {}", entries[first].line)));
        } else if let Some(id) = &e.id {
            by_id.insert(id, k);
        }
        match by_name.get(e.name.as_str()) {
            Some(&first) if !with_ids => problems.push(cell(
                e.line,
                Role::Name,
                format!(
                    "\"{}\" is also on line {}: names must be unique (or give an id column)",
                    e.name, entries[first].line
                ),
            )),
            Some(_) => *twice.entry(&e.name).or_insert(1) += 1,
            None => {
                by_name.insert(&e.name, k);
            }
        }
    }
    if with_ids && entries.iter().any(|e| e.id.is_none()) {
        for e in entries.iter().filter(|e| e.id.is_none()) {
            problems.push(cell(e.line, Role::Id, "the id is empty".into()));
        }
    }
    let mut parent: Vec<Option<usize>> = vec![None; entries.len()];
    let mut own_manager = 0usize;
    for (k, e) in entries.iter().enumerate() {
        let Some(m) = &e.manager else { continue };
        // By id first (as a spreadsheet may write it: "12.0" for 12), then by name; a name that
        // more than one row has names nobody for sure.
        let found = by_id
            .get(m.as_str())
            .or_else(|| m.strip_suffix(".0").and_then(|whole| by_id.get(whole)))
            .copied()
            .map(Ok)
            .or_else(|| by_name.get(m.as_str()).map(|&p| if twice.contains_key(m.as_str()) { Err(()) } else { Ok(p) }));
        match found {
            Some(Ok(p)) if p == k => own_manager += 1,
            Some(Ok(p)) => parent[k] = Some(p),
            Some(Err(())) => problems.push(cell(
                e.line,
                Role::Manager,
                format!("reports to \"{m}\", a name more than one row has: give the manager's id instead"),
            )),
            None => problems.push(cell(
                e.line,
                Role::Manager,
                format!("reports to \"{m}\", but no row has that {}", if with_ids { "id or name" } else { "name" }),
            )),
        }
    }
    if own_manager > 0 {
        notes.push(format!("{own_manager} rows name themselves as their manager: they head the organization"));
    }
    for cycle in cycles(&parent) {
        let path: Vec<String> = cycle
            .iter()
            .chain(cycle.first())
            .map(|&k| format!("\"{}\" (line {})", entries[k].name, entries[k].line))
            .collect();
        problems.push(ImportError::Row {
            file: file.to_string(),
            line: entries[cycle[0]].line,
            message: format!("reporting cycle: {}, expected a hierarchy", path.join(" reports to ")),
        });
    }
    if !problems.is_empty() {
        return Err(ImportErrors(problems.0));
    }
    if !twice.is_empty() {
        notes.push(format!("{} names are shared by more than one row; the later ones are numbered", twice.len()));
    }
    let mut org = match kind {
        RowKind::Teams => teams_as_rows(&entries, &parent),
        _ if columns.contains_key(&Role::Group) => people_by_group(&entries, &parent, &mut notes),
        _ => people_by_manager(&entries, &parent, &mut notes),
    };
    if !columns.contains_key(&Role::Manager) {
        match kind {
            RowKind::Teams => lead_per_group(&mut org, &entries, &mut notes),
            _ => one_top(&mut org, &mut notes),
        }
    }
    for (k, e) in entries.iter().enumerate() {
        let team = org.team_of[&row_key(k)];
        if let Some(id) = &e.id {
            org.team_of.insert(id.clone(), team);
        }
        // A name more than one row has names nobody for sure: a network must use the id.
        if !twice.contains_key(e.name.as_str()) {
            org.team_of.entry(e.name.clone()).or_insert(team);
        }
    }
    unique_names(&mut org.teams);
    notes.append(&mut org.notes);
    org.notes = notes;
    Ok(org)
}

/// Key of row `k` in `team_of` before names and ids are added.
fn row_key(k: usize) -> String {
    format!("\u{0}row{k}")
}

/// Each row a team.
fn teams_as_rows(entries: &[Entry], parent: &[Option<usize>]) -> Org {
    let teams = entries
        .iter()
        .zip(parent)
        .map(|(e, p)| OrgTeam {
            name: e.name.clone(),
            size: e.size.unwrap_or(DEFAULT_TEAM_SIZE),
            parent: *p,
            made_up: false,
        })
        .collect();
    Org { teams, team_of: (0..entries.len()).map(|k| (row_key(k), k)).collect(), notes: Vec::new() }
}

/// People grouped by manager: each manager's team is the manager and the direct reports who
/// manage nobody; it reports to the team of the manager's manager. Someone with neither a
/// manager nor reports is a team of one.
fn people_by_manager(entries: &[Entry], parent: &[Option<usize>], notes: &mut Vec<String>) -> Org {
    let mut manages = vec![false; entries.len()];
    for p in parent.iter().flatten() {
        manages[*p] = true;
    }
    let mut team_of_person = vec![usize::MAX; entries.len()];
    let mut teams = Vec::new();
    for k in 0..entries.len() {
        if manages[k] || parent[k].is_none() {
            team_of_person[k] = teams.len();
            teams.push(OrgTeam { name: entries[k].name.clone(), size: 0.0, parent: None, made_up: false });
        }
    }
    for k in 0..entries.len() {
        if team_of_person[k] == usize::MAX {
            team_of_person[k] = team_of_person[parent[k].expect("only people with a manager are left")];
        }
        teams[team_of_person[k]].size += 1.0;
    }
    for k in 0..entries.len() {
        if (manages[k] || parent[k].is_none())
            && let Some(m) = parent[k]
        {
            teams[team_of_person[k]].parent = Some(team_of_person[m]);
        }
    }
    notes.push(format!(
        "{} grouped into {} by manager: each team is a manager and the direct reports who manage nobody, named after the manager",
        counted(entries.len(), "person", "people"),
        counted(teams.len(), "team", "teams")
    ));
    Org { teams, team_of: (0..entries.len()).map(|k| (row_key(k), team_of_person[k])).collect(), notes: Vec::new() }
}

/// People grouped by their group (department): a team per group, reporting to the group of
/// the manager of its most senior people. A person with no group is in their manager's.
fn people_by_group(entries: &[Entry], parent: &[Option<usize>], notes: &mut Vec<String>) -> Org {
    // A person's group, or the nearest one up their reporting line, or "unassigned".
    let mut group_of: Vec<Option<String>> = entries.iter().map(|e| e.group.clone()).collect();
    for k in 0..entries.len() {
        if group_of[k].is_none() {
            let mut at = parent[k];
            let mut steps = 0;
            while let Some(p) = at {
                if let Some(g) = &entries[p].group {
                    group_of[k] = Some(g.clone());
                    break;
                }
                at = parent[p];
                steps += 1;
                if steps > entries.len() {
                    break;
                }
            }
        }
    }
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut teams: Vec<OrgTeam> = Vec::new();
    let mut team_of_person = Vec::with_capacity(entries.len());
    let mut unassigned = 0usize;
    for g in &group_of {
        let name = g.clone().unwrap_or_else(|| {
            unassigned += 1;
            "unassigned".to_string()
        });
        let team = *index.entry(name.clone()).or_insert_with(|| {
            teams.push(OrgTeam { name, size: 0.0, parent: None, made_up: false });
            teams.len() - 1
        });
        teams[team].size += 1.0;
        team_of_person.push(team);
    }
    // Each group reports to the group most of its heads (people whose manager is in another
    // group) report into; the first such in the file breaks a tie.
    let mut votes: Vec<Vec<(usize, usize)>> = vec![Vec::new(); teams.len()];
    for (k, p) in parent.iter().enumerate() {
        let Some(p) = *p else { continue };
        let (mine, theirs) = (team_of_person[k], team_of_person[p]);
        if mine != theirs {
            match votes[mine].iter_mut().find(|(t, _)| *t == theirs) {
                Some((_, n)) => *n += 1,
                None => votes[mine].push((theirs, 1)),
            }
        }
    }
    for (t, v) in votes.iter().enumerate() {
        let best = v.iter().enumerate().max_by_key(|(order, (_, n))| (*n, usize::MAX - order)).map(|(_, (t, _))| *t);
        teams[t].parent = best;
    }
    // Groups can report into each other in a circle; the first of each circle heads it.
    let parents: Vec<Option<usize>> = teams.iter().map(|t| t.parent).collect();
    let broken = cycles(&parents);
    for cycle in &broken {
        let first = *cycle.iter().min().expect("a cycle has teams");
        teams[first].parent = None;
    }
    notes.push(format!(
        "{} grouped into {} by their group; each group reports to the group of its heads' managers",
        counted(entries.len(), "person", "people"),
        counted(teams.len(), "team", "teams")
    ));
    if unassigned > 0 {
        notes.push(format!("{unassigned} people have no group, nor anyone above them with one: team \"unassigned\""));
    }
    if !broken.is_empty() {
        notes.push(format!(
            "{} circles of groups reporting into each other were broken at their first group",
            broken.len()
        ));
    }
    Org { teams, team_of: (0..entries.len()).map(|k| (row_key(k), team_of_person[k])).collect(), notes: Vec::new() }
}

/// With no reporting lines: a lead team made up for each group, the group's teams under it,
/// and one for the whole organization over the leads where there is more than one group.
fn lead_per_group(org: &mut Org, entries: &[Entry], notes: &mut Vec<String>) {
    let mut groups: Vec<String> = Vec::new();
    let mut group_of_team: Vec<Option<usize>> = vec![None; org.teams.len()];
    for (k, e) in entries.iter().enumerate() {
        let Some(g) = &e.group else { continue };
        let team = org.team_of[&row_key(k)];
        let at = groups.iter().position(|x| x == g).unwrap_or_else(|| {
            groups.push(g.clone());
            groups.len() - 1
        });
        group_of_team[team].get_or_insert(at);
    }
    let (first_lead, over) = add_leads(&mut org.teams, &groups);
    for (team, g) in group_of_team.iter().enumerate() {
        if let Some(g) = g
            && org.teams[team].name != format!("{} lead", groups[*g])
        {
            org.teams[team].parent = Some(first_lead + g);
        }
    }
    notes.push(format!("no reporting lines: a lead team made up for each of {} groups{over}", groups.len()));
}

/// The name of the team made up over the leads of several groups.
pub const LEADERSHIP: &str = "leadership";

/// Lead teams made up for `groups`, in order, under one `LEADERSHIP` team where there is more
/// than one group. Returns the index of the first lead (group `k`'s is `first + k`) and how to
/// end a note saying so.
pub fn add_leads(teams: &mut Vec<OrgTeam>, groups: &[String]) -> (usize, &'static str) {
    let top = (groups.len() > 1).then(|| {
        teams.push(OrgTeam { name: LEADERSHIP.into(), size: 4.0, parent: None, made_up: true });
        teams.len() - 1
    });
    let first = teams.len();
    for g in groups {
        teams.push(OrgTeam { name: format!("{g} lead"), size: 3.0, parent: top, made_up: true });
    }
    (first, if top.is_some() { ", under one \"leadership\" team" } else { "" })
}

/// People grouped by group with no reporting lines: the groups under one "leadership" team.
fn one_top(org: &mut Org, notes: &mut Vec<String>) {
    if org.teams.len() < 2 {
        return;
    }
    let top = org.teams.len();
    for t in &mut org.teams {
        t.parent = Some(top);
    }
    org.teams.push(OrgTeam { name: LEADERSHIP.into(), size: 4.0, parent: None, made_up: true });
    notes.push("no reporting lines: the groups report to one \"leadership\" team made up for them".into());
}

/// Team names made unique: a later team with a name already taken gets " (2)", " (3)"...
pub fn unique_names(teams: &mut [OrgTeam]) {
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(teams.len());
    for t in teams.iter_mut() {
        let n = seen.entry(t.name.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            let mut k = *n;
            let mut candidate = format!("{} ({k})", t.name);
            while seen.contains_key(&candidate) {
                k += 1;
                candidate = format!("{} ({k})", t.name);
            }
            seen.insert(candidate.clone(), 1);
            t.name = candidate;
        }
    }
}

/// Every cycle of `parent` once, each as its members in order.
pub fn cycles(parent: &[Option<usize>]) -> Vec<Vec<usize>> {
    // 0 unvisited, 1 on the current path, 2 done.
    let mut state = vec![0u8; parent.len()];
    let mut found = Vec::new();
    let mut path = Vec::new();
    for start in 0..parent.len() {
        let mut at = Some(start);
        path.clear();
        while let Some(k) = at {
            match state[k] {
                0 => {
                    state[k] = 1;
                    path.push(k);
                    at = parent[k];
                }
                1 => {
                    let from = path.iter().position(|&p| p == k).expect("on the path");
                    found.push(path[from..].to_vec());
                    break;
                }
                _ => break,
            }
        }
        for &k in &path {
            state[k] = 2;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found_once_each() {
        let parent = [Some(1), Some(2), Some(0), None, Some(3), Some(5)];
        let found = cycles(&parent);
        assert_eq!(found, vec![vec![0, 1, 2], vec![5]]);
        assert!(cycles(&[None, Some(0), Some(0)]).is_empty());
    }

    #[test]
    fn taken_names_are_numbered() {
        let team = |name: &str| OrgTeam { name: name.into(), size: 1.0, parent: None, made_up: false };
        let mut teams = vec![team("a"), team("a"), team("a (2)"), team("a")];
        unique_names(&mut teams);
        let names: Vec<&str> = teams.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a", "a (2)", "a (2) (2)", "a (3)"]);
    }
}
