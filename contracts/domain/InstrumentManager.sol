// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";

import {IEscrow, NATIVE_ETH} from "../../interfaces/IEscrow.sol";
import {IEscrowAdmin} from "../../interfaces/IEscrowAdmin.sol";
import {IEscrowFactory} from "../../interfaces/IEscrowFactory.sol";
import {IInstrument, Transfer, TransferKind, WHOLE_BALANCE} from "../../interfaces/IInstrument.sol";
import {IInstrumentManager} from "../../interfaces/IInstrumentManager.sol";
import {IInstrumentRegistry} from "../../interfaces/IInstrumentRegistry.sol";
import {EscrowAddresses} from "../libraries/EscrowAddresses.sol";

/// @notice What a manager clone is bound to, fixed at creation in the clone's immutable arguments.
struct DomainConfig {
    address registry;
    uint256 domainId;
    address instrument;
    address escrowFactory;
    address instrumentEscrowImplementation;
    address issuanceEscrowImplementation;
}

/// @title InstrumentManager
/// @notice The entry point and only asset mover of one instrument domain (see IInstrumentManager
/// for the transfer rule). Deployed as a clone by the Instrument Registry; its configuration is
/// the clone's immutable arguments, and the escrows' addresses are computed, not stored.
/// @dev Sections: configuration, registry functions, user functions, transfer execution.
contract InstrumentManager is IInstrumentManager, ReentrancyGuardTransient {
    using TransientSlot for *;

    /// @dev Holds, during a move between escrows, the one escrow the manager expects a call from:
    /// for ETH the source escrow paying it to `receive`, for tokens the destination escrow calling
    /// `sendTokenToEscrow`. Empty at any other time.
    bytes32 private constant _EXPECTED_ESCROW_SLOT = bytes32(
        uint256(keccak256("nuts.InstrumentManager.expectedEscrow")) - 1
    );

    /// @dev The implementation's own address, to tell it apart from its clones.
    address private immutable _implementation = address(this);

    /// @dev Issuance ids run from 1 to `_issuanceCount`.
    uint64 private _issuanceCount;
    /// @dev Set by the registry on the provider's request; stops new issuances only.
    bool private _deactivated;

    modifier onlyRegistry() {
        if (msg.sender != _config().registry) revert ManagerUnauthorized(msg.sender);
        _;
    }

    /// @notice Accepts ETH only from the escrow it is withdrawing from in a move.
    receive() external payable {
        if (msg.sender != _EXPECTED_ESCROW_SLOT.asAddress().tload()) {
            revert ManagerUnexpectedEth(msg.sender, msg.value);
        }
    }

    /// @inheritdoc IEscrowAdmin
    /// @dev Not `nonReentrant`: it runs inside a guarded user call, and only the escrow that call
    /// is moving tokens into may use it, once.
    function sendTokenToEscrow(address source, address sourceAccount, address token, uint256 amount) external {
        if (msg.sender != _EXPECTED_ESCROW_SLOT.asAddress().tload()) revert ManagerUnexpectedCallback(msg.sender);
        _EXPECTED_ESCROW_SLOT.asAddress().tstore(address(0));
        IEscrow(source).sendTokenByAdmin(sourceAccount, token, amount, msg.sender);
    }

    // ------------------------------------------------------------------------------ configuration

    /// @inheritdoc IInstrumentManager
    function registry() external view returns (address) {
        return _config().registry;
    }

    /// @inheritdoc IInstrumentManager
    function domainId() external view returns (uint256) {
        return _config().domainId;
    }

    /// @inheritdoc IInstrumentManager
    function provider() external view returns (address) {
        DomainConfig memory config = _config();
        return IInstrumentRegistry(config.registry).getDomain(config.domainId).provider;
    }

    /// @inheritdoc IInstrumentManager
    function instrument() external view returns (address) {
        return _config().instrument;
    }

    /// @inheritdoc IInstrumentManager
    function escrowFactory() external view returns (address) {
        return _config().escrowFactory;
    }

    /// @inheritdoc IInstrumentManager
    function isActive() external view returns (bool) {
        return !_deactivated;
    }

    /// @inheritdoc IInstrumentManager
    function issuanceCount() external view returns (uint256) {
        return _issuanceCount;
    }

    /// @inheritdoc IInstrumentManager
    function getInstrumentEscrow() external view returns (address) {
        return _instrumentEscrow(_config());
    }

    /// @inheritdoc IInstrumentManager
    function getIssuanceEscrow(uint256 issuanceId) external view returns (address) {
        _requireIssuance(issuanceId);
        return _issuanceEscrow(_config(), issuanceId);
    }

    // --------------------------------------------------------------------------- registry functions

    /// @inheritdoc IInstrumentManager
    function initialize() external onlyRegistry returns (address instrumentEscrow) {
        // The factory refuses a second Instrument Escrow for this manager, so this runs once.
        return IEscrowFactory(_config().escrowFactory).createInstrumentEscrow();
    }

    /// @inheritdoc IInstrumentManager
    function deactivate() external onlyRegistry {
        if (_deactivated) revert ManagerDeactivated();
        _deactivated = true;
        emit Deactivated();
    }

    // ------------------------------------------------------------------------------ user functions

    /// @inheritdoc IInstrumentManager
    function createIssuance(bytes calldata makerData) external nonReentrant returns (uint256 issuanceId) {
        if (_deactivated) revert ManagerDeactivated();
        DomainConfig memory config = _config();
        issuanceId = ++_issuanceCount;
        address issuanceEscrow = IEscrowFactory(config.escrowFactory).createIssuanceEscrow(bytes32(issuanceId));
        emit IssuanceCreated(issuanceId, msg.sender, issuanceEscrow);
        Transfer[] memory transfers = IInstrument(config.instrument).createIssuance(issuanceId, msg.sender, makerData);
        _execute(config, issuanceId, transfers);
    }

    /// @inheritdoc IInstrumentManager
    function engageIssuance(
        uint256 issuanceId,
        bytes calldata takerData
    ) external nonReentrant returns (uint256 engagementId) {
        _requireIssuance(issuanceId);
        DomainConfig memory config = _config();
        Transfer[] memory transfers;
        (engagementId, transfers) = IInstrument(config.instrument).engageIssuance(issuanceId, msg.sender, takerData);
        emit IssuanceEngaged(issuanceId, engagementId, msg.sender);
        _execute(config, issuanceId, transfers);
    }

    /// @inheritdoc IInstrumentManager
    function processEvent(
        uint256 issuanceId,
        uint256 engagementId,
        bytes32 eventName,
        bytes calldata eventData
    ) external nonReentrant {
        _requireIssuance(issuanceId);
        DomainConfig memory config = _config();
        Transfer[] memory transfers = IInstrument(config.instrument).processEvent(
            issuanceId,
            engagementId,
            msg.sender,
            eventName,
            eventData
        );
        emit EventProcessed(issuanceId, engagementId, eventName, msg.sender);
        _execute(config, issuanceId, transfers);
    }

    // -------------------------------------------------------------------------- transfer execution

    /// @dev Checks and executes the transfers an instrument asked for, for `issuanceId` on the call
    /// of `msg.sender`. The escrows are taken from the configuration and the issuance id, never from
    /// the instrument's answer.
    function _execute(DomainConfig memory config, uint256 issuanceId, Transfer[] memory transfers) private {
        if (transfers.length == 0) return;
        IEscrow instrumentEscrow = IEscrow(_instrumentEscrow(config));
        IEscrow issuanceEscrow = IEscrow(_issuanceEscrow(config, issuanceId));
        for (uint256 i = 0; i < transfers.length; ++i) {
            Transfer memory transfer = transfers[i];
            bool fromIssuanceEscrow =
                transfer.kind == TransferKind.Outbound || transfer.kind == TransferKind.IntraIssuance;
            if (fromIssuanceEscrow && transfer.amount == WHOLE_BALANCE) {
                transfer.amount = issuanceEscrow.getTokenBalance(transfer.from, transfer.token);
            }
            // Nothing to move (the whole balance of an account may be nothing), unless something
            // had to arrive.
            if (transfer.amount == 0) {
                if (transfer.minimum != 0)
                    revert ManagerCreditBelowMinimum(i, transfer.token, transfer.to, 0, transfer.minimum);
                continue;
            }
            uint256 credited = transfer.amount;
            if (!fromIssuanceEscrow) {
                // A user's Instrument Escrow balance leaves only on that user's own call.
                if (transfer.from != msg.sender) {
                    revert ManagerTransferNotAllowed(i, transfer.kind, transfer.from, msg.sender);
                }
            }
            if (transfer.kind == TransferKind.Inbound) {
                credited = _move(instrumentEscrow, issuanceEscrow, transfer);
            } else if (transfer.kind == TransferKind.Outbound) {
                credited = _move(issuanceEscrow, instrumentEscrow, transfer);
            } else if (transfer.kind == TransferKind.IntraInstrument) {
                instrumentEscrow.transferByAdmin(transfer.from, transfer.to, transfer.token, transfer.amount);
            } else {
                issuanceEscrow.transferByAdmin(transfer.from, transfer.to, transfer.token, transfer.amount);
            }
            if (credited < transfer.minimum) {
                revert ManagerCreditBelowMinimum(i, transfer.token, transfer.to, credited, transfer.minimum);
            }
            emit TransferExecuted(issuanceId, transfer.kind, transfer.token, transfer.from, transfer.to, credited);
        }
    }

    /// @dev Withdraws `transfer` from `source` and deposits it into `destination`; returns what
    /// `transfer.to` was credited with. Tokens go straight from escrow to escrow in one transfer,
    /// while the destination escrow, locked, measures what arrived (see IEscrowAdmin); ETH comes
    /// through the manager, which accepts it only from `source`.
    function _move(IEscrow source, IEscrow destination, Transfer memory transfer) private returns (uint256 credited) {
        _EXPECTED_ESCROW_SLOT.asAddress().tstore(address(transfer.token == NATIVE_ETH ? source : destination));
        if (transfer.token == NATIVE_ETH) {
            source.withdrawByAdmin(transfer.from, transfer.amount);
            _EXPECTED_ESCROW_SLOT.asAddress().tstore(address(0));
            destination.depositByAdmin{value: transfer.amount}(transfer.to);
            return transfer.amount;
        }
        credited = destination.receiveTokenByAdmin(
            transfer.to,
            transfer.token,
            transfer.amount,
            address(source),
            transfer.from
        );
        // The callback clears it; clear it here as well so that it never outlives this move.
        _EXPECTED_ESCROW_SLOT.asAddress().tstore(address(0));
    }

    /// @dev Reverts unless issuance `issuanceId` exists.
    function _requireIssuance(uint256 issuanceId) private view {
        if (issuanceId == 0 || issuanceId > _issuanceCount) revert ManagerUnknownIssuance(issuanceId);
    }

    /// @dev The clone's immutable arguments; the implementation has none and refuses to work.
    function _config() private view returns (DomainConfig memory) {
        if (address(this) == _implementation) revert ManagerImplementationNotUsable();
        return abi.decode(Clones.fetchCloneArgs(address(this)), (DomainConfig));
    }

    function _instrumentEscrow(DomainConfig memory config) private view returns (address) {
        return
            EscrowAddresses.predict(
                config.escrowFactory,
                config.instrumentEscrowImplementation,
                address(this),
                EscrowAddresses.INSTRUMENT_ESCROW_SALT
            );
    }

    function _issuanceEscrow(DomainConfig memory config, uint256 issuanceId) private view returns (address) {
        return
            EscrowAddresses.predict(
                config.escrowFactory,
                config.issuanceEscrowImplementation,
                address(this),
                bytes32(issuanceId)
            );
    }
}
