#include "autoscale/cli.h"

int main(int argc, char** argv) { return autoscale::RunCli(argc, argv); }
