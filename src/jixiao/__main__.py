from jixiao.cli.main import main

main()
