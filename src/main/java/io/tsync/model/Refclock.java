package io.tsync.model;

/**
 * A PTP hardware clock as a time source ({@code refclock PHC DEVICE ...}): the clock a hypervisor
 * exposes to its VMs (KVM's ptp_kvm, Hyper-V's PTP device, AWS ENA's PHC).
 *
 * @param device e.g. /dev/ptp0, /dev/ptp_kvm, /dev/ptp_hyperv, /dev/ptp_ena
 */
public record Refclock(String device, Integer poll, Integer dpoll, Double offset, boolean prefer, Location at) {}
