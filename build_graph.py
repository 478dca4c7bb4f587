"""Build the knowledge graph from the bundled sample corpus (data/samples) into output/."""

from kg.cli import main

if __name__ == "__main__":
    main(["build", "data/samples", "--out", "output"])
