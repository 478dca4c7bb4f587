"""kg: knowledge graph of agencies, projects and responsibilities from Chinese government documents."""

__version__ = "0.1.0"
