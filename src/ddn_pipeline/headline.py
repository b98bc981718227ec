"""The headline indicators: the ones a reader meets first, in the report's side-by-side tables and the robustness
sweep (a ward's profile in the explorer has a list of its own, explorer.PROFILE_INDICATORS). A module of its own,
without imports, so that the workflow can read it cheaply."""

KEY_INDICATORS = [
    "not_in_employment",
    "inactive",
    "unemployment_rate",
    "managerial_professional",
    "routine_manual",
    "no_qualifications",
    "bad_health",
    "disabled",
    "no_car_households",
    "e_withdrawn_lsoas",
    "life_expectancy_male_2016_20",
    "life_expectancy_female_2016_20",
]
