"""The bundled weight templates and grade bands (src/jixiao/data/templates.yaml)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from jixiao.core.dossier import Dossier, GradeBand, WeightTemplate
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.yaml_model import read_model


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grade_bands: list[GradeBand]
    templates: list[WeightTemplate]


@cache
def catalogue() -> Catalogue:
    text = resources.files("jixiao.data").joinpath("templates.yaml").read_text(encoding="utf-8")
    return read_model(text, Catalogue, file="templates.yaml")


def template_ids() -> list[str]:
    return [t.id for t in catalogue().templates]


def resolve_template(dossier: Dossier, file: str | None = None) -> WeightTemplate:
    """The dossier's template: inline, or a bundled one by id."""
    if isinstance(dossier.template, WeightTemplate):
        return dossier.template
    for template in catalogue().templates:
        if template.id == dossier.template:
            return template
    known = "、".join(template_ids())
    raise InputError(
        [Problem(f"未知的权重模板 {dossier.template}（可选：{known}，或内联自定义模板）",
                 file=file, field="template")]
    )


def resolve_bands(dossier: Dossier) -> list[GradeBand]:
    return dossier.grade_bands or catalogue().grade_bands
