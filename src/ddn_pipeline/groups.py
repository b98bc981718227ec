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
