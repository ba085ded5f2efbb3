"""python -m trygg_search"""

from .cli import main

main(prog_name="trygg-search")
