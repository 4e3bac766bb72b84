-- Surveys and reference series (surveys.md).
--
-- `surveys`: each survey's settings, keyed by name; 10-FAKTOR is built in. A score with
-- fewer respondents than `min_respondents` is masked everywhere (the engine's
-- `surveys::mask`).
-- `survey_results`: one unit's score for one factor (an indicator) in one round (a year),
-- with the number of respondents; a parent's score is its own reported one, never rolled up.
-- `reference_values`: a named series (`Landet`, `KOSTRA-gruppe 13`) for an indicator and a
-- canonical period id.
-- Natural keys throughout, like measurements, so that a row can be addressed on another
-- machine when sharing carries them.

CREATE TABLE surveys (
    name            TEXT PRIMARY KEY NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('10-faktor', 'bedrekommune')),
    min_respondents INTEGER NOT NULL CHECK (min_respondents >= 1)
);
INSERT INTO surveys (name, kind, min_respondents) VALUES ('10-FAKTOR', '10-faktor', 3);

CREATE TABLE survey_results (
    indicator   TEXT NOT NULL REFERENCES indicators (code),
    unit        TEXT NOT NULL REFERENCES units (code),
    year        INTEGER NOT NULL,
    survey      TEXT NOT NULL REFERENCES surveys (name),
    score       REAL NOT NULL,
    respondents INTEGER NOT NULL CHECK (respondents >= 0),
    PRIMARY KEY (indicator, unit, year)
) WITHOUT ROWID;
CREATE INDEX survey_results_unit ON survey_results (unit);

CREATE TABLE reference_values (
    indicator TEXT NOT NULL REFERENCES indicators (code),
    series    TEXT NOT NULL,
    period    TEXT NOT NULL,
    value     REAL NOT NULL,
    PRIMARY KEY (indicator, series, period)
) WITHOUT ROWID;

-- A target relative to a reference series (`≥ landet`): the series' name; NULL for an
-- ordinary target. Not replicated yet (a replica refuses such a target).
ALTER TABLE targets ADD COLUMN reference TEXT;

-- The ten 10-FAKTOR factors as built-in indicators: organisation, yearly, one decimal. In a
-- replica they are not a local change to send: the server's migration 0004 seeds the same.
UPDATE replica SET applying = 1 WHERE id = 1;
INSERT INTO indicators (code, name, perspective, goal, description, source, responsible,
    unit_label, decimals, direction, frequency, aggregation, unit_rollup, factor, builtin)
VALUES
    ('TF-1', 'Mestringsorientert ledelse', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100, 1),
    ('TF-2', 'Mestringsklima', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100, 1),
    ('TF-3', 'Selvstendighet', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100, 1),
    ('TF-4', 'Rolleklarhet', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100, 1),
    ('TF-5', 'Oppgavemotivasjon', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100, 1),
    ('TF-6', 'Mestringstro', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100, 1),
    ('TF-7', 'Nyttemotivasjon', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100, 1),
    ('TF-8', 'Relevant kompetanseutvikling', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100, 1),
    ('TF-9', 'Fleksibilitetsvilje', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100, 1),
    ('TF-10', 'Bruk av kompetanse', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100, 1);
UPDATE replica SET applying = 0 WHERE id = 1;
