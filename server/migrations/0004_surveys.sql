-- 0004: the ten 10-FAKTOR factors as built-in indicators (surveys.md), as the core's
-- migration 0007 seeds them, so that a replica and its server hold the same catalogue.
WITH v AS (SELECT nextval('malkart_version') AS v)
INSERT INTO indicators (code, name, perspective, goal, description, source, responsible,
    unit_label, decimals, direction, frequency, aggregation, unit_rollup, factor, builtin,
    version, cell_versions)
SELECT i.*, true, v.v, malkart_cells('{name,perspective,goal,description,source,responsible,unit_label,decimals,direction,frequency,aggregation,unit_rollup,factor}', v.v)
FROM v, (VALUES
    ('TF-1', 'Mestringsorientert ledelse', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100.0),
    ('TF-2', 'Mestringsklima', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100.0),
    ('TF-3', 'Selvstendighet', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100.0),
    ('TF-4', 'Rolleklarhet', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100.0),
    ('TF-5', 'Oppgavemotivasjon', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100.0),
    ('TF-6', 'Mestringstro', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100.0),
    ('TF-7', 'Nyttemotivasjon', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100.0),
    ('TF-8', 'Relevant kompetanseutvikling', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100.0),
    ('TF-9', 'Fleksibilitetsvilje', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100.0),
    ('TF-10', 'Bruk av kompetanse', 'organisasjon', '10-FAKTOR',
     'Snittet av svarene på faktoren i KS'' medarbeiderundersøkelse 10-FAKTOR (skala 1–5, høyere er bedre); enhetens eget rapporterte snitt, aldri regnet ut fra enhetene under',
     'KS 10-FAKTOR', 'Enhetsleder', '', 1, 'høy', 'år', 'snitt', 'ingen', 100.0))
    AS i (code, name, perspective, goal, description, source, responsible, unit_label,
          decimals, direction, frequency, aggregation, unit_rollup, factor)
ON CONFLICT (code) DO NOTHING;
