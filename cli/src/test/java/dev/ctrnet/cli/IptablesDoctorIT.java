package dev.ctrnet.cli;

/** {@code ctrnet doctor} on the iptables backend. */
class IptablesDoctorIT extends DoctorContract {
    IptablesDoctorIT() {
        super("iptables", "/run/ctrnet-test/doctor-ipt", "10.52.0.0/24", 18052);
    }

    /** The rule as iptables-save prints it, deleted by the same words. */
    @Override
    String masqueradeDeletion(String subnet, String bridge) {
        return "rule=$(iptables-save -t nat | grep -e '-s " + subnet + " ! -o " + bridge + " -j MASQUERADE')"
                + " && iptables -t nat $(echo \"$rule\" | sed 's/^-A /-D /')";
    }
}
