"""The comparison groups, defined once: every ward is in exactly one of the ward groups; England is all of them."""

WARD_GROUPS = ("ddn", "other_deprived", "rest_of_england")
ENGLAND = "england"
GROUPS = (*WARD_GROUPS, ENGLAND)
# The groups the report publishes figures for (its "elsewhere" is other deprived areas and England).
PUBLISHED_GROUPS = ("ddn", "other_deprived", ENGLAND)
LABELS = {
    "ddn": "DDNs",
    "other_deprived": "Other deprived",
    "rest_of_england": "Rest of England",
    ENGLAND: "England",
}

# The DDN lists a ward's group is given for, with the column that holds it: the published and the reproduced 2019
# lists (ward17_groups), and the 2025 indices (ward17_ddn_2019_vs_2025, when that edition is built).
LIST_COLUMNS = {"published": "group_published_list", "reproduced": "group_reproduced_list", "2025": "group_2025"}
